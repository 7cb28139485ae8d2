// The headers every answer carries beyond next.config's static ones (ADR 0025). They depend on the
// request (a fresh nonce per page) or on run-time settings (APP_URL): proxy.ts sets them on pages,
// scripts/server.ts on API answers (ADR 0058).

import { isUnderApi, routedPath } from "./routed-path";

/** Two years, as the HSTS preload list asks; only sent when the public URL is https. */
export const STRICT_TRANSPORT_SECURITY = "max-age=63072000; includeSubDomains";

/** API answers are data, never documents: nothing may load from them or frame them. */
export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'";

export type PagePolicyOptions = { nonce: string; https: boolean; development: boolean };

/**
 * A strict, nonce-based policy for pages. Scripts run only with this request's nonce (Next reads it
 * from the request's copy of this header and stamps it on its own scripts); 'strict-dynamic' lets
 * those scripts load the page's chunks. Inline style attributes stay allowed (recharts and React
 * SSR write them; a style attribute cannot run code), inline <style> elements need the nonce.
 */
export function pageContentSecurityPolicy({ nonce, https, development }: PagePolicyOptions): string {
  const directives = [
    "default-src 'self'",
    // React uses eval in development only, to rebuild server error stacks in the browser.
    `script-src 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ""}`,
    `style-src 'self' 'nonce-${nonce}'`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ];
  if (https) directives.push("upgrade-insecure-requests");
  return directives.join("; ");
}

/** A 128-bit nonce from the CSPRNG, base64 (the alphabet Next's nonce parser accepts). */
export function newNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
}

/**
 * API paths whose answers may be cached: the public OpenAPI document and the health probe. Every
 * other /api answer carries a token, a key, personal data or an error about them (ADR 0026).
 */
const CACHEABLE_API_PATHS = new Set(["/api/openapi.json", "/api/health"]);

export function apiAnswerMayBeCached(pathname: string): boolean {
  return CACHEABLE_API_PATHS.has(pathname);
}

/** Whether `path` (no query) may reach an API route, as Next routes it (see routedPath). */
export function isApiPath(path: string): boolean {
  if (isUnderApi(path)) return true;
  const routed = routedPath(path); // null: not a path Next can route (scripts/server.ts refuses bad escapes first)
  return routed !== null && isUnderApi(routed);
}

/** The security headers of an answer from an API route, set before Next runs the route. */
export function apiSecurityHeaders(path: string, https: boolean): Record<string, string> {
  const headers: Record<string, string> = { "Content-Security-Policy": API_CONTENT_SECURITY_POLICY };
  if (!apiAnswerMayBeCached(path)) headers["Cache-Control"] = "no-store";
  if (https) headers["Strict-Transport-Security"] = STRICT_TRANSPORT_SECURITY;
  return headers;
}

import { API_ROUTES } from "./api-routes";
import { isUnderApi, routedPath } from "./routed-path";

// Checks made in scripts/server.ts before Next sees a request, for what Next itself answers badly
// (ADR 0035): a path whose percent-encoding does not decode (Next's plain-text 500), TRACE/TRACK/
// CONNECT, and a method an API route does not serve (Next's empty 405 without Allow).

export type PrecheckAnswer = { status: number; headers: Record<string, string>; body: string };

/** Never served anywhere: TRACE echoes headers back (cross-site tracing), CONNECT is for proxies. */
const REFUSED_METHODS = new Set(["TRACE", "TRACK", "CONNECT"]);

/** `{name}` is one path segment, `{...name}` any number of them; the first route that matches answers. */
function pattern(path: string): RegExp {
  return new RegExp(`^${path.replace(/\{\.\.\.[^}]+\}/g, ".+").replace(/\{[^}]+\}/g, "[^/]+")}/?$`);
}

const ROUTE_METHODS = new Map<string, { pattern: RegExp; methods: Set<string> }>();
for (const { path, method } of Object.values(API_ROUTES)) {
  const entry = ROUTE_METHODS.get(path) ?? { pattern: pattern(path), methods: new Set(["OPTIONS"]) };
  entry.methods.add(method);
  if (method === "GET") entry.methods.add("HEAD");
  ROUTE_METHODS.set(path, entry);
}

/** The methods the API route at `path` serves, or null when `path` is not a known API route. */
export function allowedApiMethods(path: string): string[] | null {
  for (const { pattern, methods } of ROUTE_METHODS.values()) if (pattern.test(path)) return [...methods].sort();
  return null;
}

const SECURITY_HEADERS = {
  "X-Content-Type-Options": "nosniff",
  "X-Frame-Options": "DENY",
  "Referrer-Policy": "strict-origin-when-cross-origin",
  // The page below has no script, style or image: nothing at all needs to load.
  "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
  "Cache-Control": "no-store",
};

export function apiError(status: number, code: string, message: string, headers: Record<string, string> = {}): PrecheckAnswer {
  return {
    status,
    headers: { ...SECURITY_HEADERS, "Content-Type": "application/json", ...headers },
    body: JSON.stringify({ error: { code, message } }),
  };
}

/** A refusal in the form the path expects: the JSON error shape under /api, a text page elsewhere. */
export function answer(path: string, status: number, code: string, message: string, headers: Record<string, string> = {}): PrecheckAnswer {
  if (path === "/api" || path.startsWith("/api/")) return apiError(status, code, message, headers);
  return { status, headers: { ...SECURITY_HEADERS, "Content-Type": "text/plain; charset=utf-8", ...headers }, body: `${message}\n` };
}

/** Every method this server serves somewhere: the answer to `OPTIONS *`. */
const SERVED_METHODS = "GET, HEAD, POST, PUT, DELETE, OPTIONS";

/** The answer to send instead of passing the request to Next, or null to let Next serve it. */
export function precheckRequest(method: string | undefined, url: string | undefined): PrecheckAnswer | null {
  const target = url ?? "/";
  const verb = (method ?? "GET").toUpperCase();
  // Asterisk form asks about the server as a whole (RFC 9110 §9.3.7); Next answered it with a 500.
  if (target === "*" && verb === "OPTIONS") return { status: 204, headers: { ...SECURITY_HEADERS, Allow: SERVED_METHODS }, body: "" };
  if (!target.startsWith("/") && !/^https?:\/\//i.test(target)) {
    return answer("/", 400, "invalid_path", "The request target is not a path on this server.");
  }
  const path = target.split("?", 1)[0]!;
  const routed = routedPath(path);
  if (routed === null) return answer(path, 400, "invalid_path", "The address is not valid: it has a malformed percent-encoding.");
  const apiPath = isUnderApi(path) ? path : isUnderApi(routed) ? routed : null;
  // /api itself is no route; Next's catch-all only covers paths below it, so it answered HTML.
  if (apiPath !== null && (routed === "/api" || routed === "/api/")) {
    return apiError(404, "not_found", "There is no API route at this address; see /api/openapi.json.");
  }
  const allowed = apiPath === null ? null : (allowedApiMethods(apiPath) ?? allowedApiMethods(routed));
  if (REFUSED_METHODS.has(verb)) {
    return answer(apiPath ?? path, 405, "method_not_allowed", `${verb} is not served here.`, { Allow: (allowed ?? ["GET", "HEAD", "POST"]).join(", ") });
  }
  if (allowed && !allowed.includes(verb)) {
    return apiError(405, "method_not_allowed", `${verb} is not allowed here; use ${allowed.join(", ")}.`, { Allow: allowed.join(", ") });
  }
  return null;
}

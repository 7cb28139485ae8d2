import { API_ROUTES } from "./api-routes";

// Checks made in scripts/server.ts before Next sees a request, for what Next itself answers badly
// (ADR 0035): a path whose percent-encoding does not decode (Next's plain-text 500), TRACE/TRACK/
// CONNECT, and a method an API route does not serve (Next's empty 405 without Allow).

export type PrecheckAnswer = { status: number; headers: Record<string, string>; body: string };

/** Never served anywhere: TRACE echoes headers back (cross-site tracing), CONNECT is for proxies. */
const REFUSED_METHODS = new Set(["TRACE", "TRACK", "CONNECT"]);

function pattern(path: string): RegExp {
  return new RegExp(`^${path.replace(/\{[^}]+\}/g, "[^/]+")}/?$`);
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

/** The answer to send instead of passing the request to Next, or null to let Next serve it. */
export function precheckRequest(method: string | undefined, url: string | undefined): PrecheckAnswer | null {
  const path = (url ?? "/").split("?", 1)[0]!;
  const verb = (method ?? "GET").toUpperCase();
  try {
    decodeURIComponent(path);
  } catch {
    return answer(path, 400, "invalid_path", "The address is not valid: it has a malformed percent-encoding.");
  }
  const allowed = path.startsWith("/api/") ? allowedApiMethods(path) : null;
  if (REFUSED_METHODS.has(verb)) {
    return answer(path, 405, "method_not_allowed", `${verb} is not served here.`, { Allow: (allowed ?? ["GET", "HEAD", "POST"]).join(", ") });
  }
  if (allowed && !allowed.includes(verb)) {
    return apiError(405, "method_not_allowed", `${verb} is not allowed here; use ${allowed.join(", ")}.`, { Allow: allowed.join(", ") });
  }
  return null;
}

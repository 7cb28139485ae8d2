import { answer, type PrecheckAnswer } from "./request-precheck";

// Next refuses a server action whose Origin names another host than the request's (its CSRF check),
// but answers that refusal with a 500, and an Origin that is not a URL ("null" from a sandboxed
// frame or a file, or garbage) throws inside Next, a 500 as well. scripts/server.ts asks this first
// so that every such call is a 403 (issue 22, item 6). The rule is Next's own: the host of the Origin
// must equal the first X-Forwarded-Host value, or the Host header when there is none. A call with
// no Origin at all is left to Next, which lets it through (no browser omits it on a cross-site post).

function forwardedHost(headers: Record<string, string | string[] | undefined>): string | undefined {
  const forwarded = headers["x-forwarded-host"];
  const first = Array.isArray(forwarded) ? forwarded[0] : forwarded?.split(",")[0]?.trim();
  if (first) return first;
  const host = headers.host;
  return Array.isArray(host) ? host[0] : host;
}

function originHost(origin: string): string | null {
  try {
    return new URL(origin).host || null;
  } catch {
    return null;
  }
}

/** A 403 for a server action sent from another origin (or an opaque one), else null. */
export function refuseForeignActionOrigin(path: string, headers: Record<string, string | string[] | undefined>): PrecheckAnswer | null {
  const origin = headers.origin;
  if (origin === undefined) return null;
  const host = originHost(Array.isArray(origin) ? (origin[0] ?? "") : origin);
  if (host !== null && host === forwardedHost(headers)) return null;
  return answer(path, 403, "foreign_origin", "This form was sent from another site, so it was not accepted. Open the page on this site and try again.");
}

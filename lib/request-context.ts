import { CLIENT_ADDRESS_HEADER } from "./http/client-address";

/** Who is calling, as far as the request tells: used for rate limits and the audit log. */
export type RequestContext = { ip: string; userAgent: string };

type HeaderSource = { get(name: string): string | null };

/**
 * The client address comes from Latchkey's own server (scripts/server.ts), which reads the socket
 * and overwrites this header on every request; X-Forwarded-For is only believed there, for proxies
 * the operator declared in TRUSTED_PROXIES (ADR 0009).
 */
export function requestContextFrom(headers: HeaderSource): RequestContext {
  return {
    ip: headers.get(CLIENT_ADDRESS_HEADER) ?? "unknown",
    userAgent: (headers.get("user-agent") ?? "").slice(0, 512),
  };
}

import { env } from "./env";

/** Who is calling, as far as the request tells: used for rate limits and the audit log. */
export type RequestContext = { ip: string; userAgent: string };

type HeaderSource = { get(name: string): string | null };

/**
 * Next's own server appends the socket address to X-Forwarded-For, so its last entry is the
 * peer and cannot be forged by the client. Behind a proxy you control (TRUST_PROXY=true) the
 * first entry is the real client.
 */
export function requestContextFrom(headers: HeaderSource): RequestContext {
  const chain = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  const ip = (env().TRUST_PROXY ? chain[0] : chain.at(-1)) ?? "unknown";
  return { ip, userAgent: (headers.get("user-agent") ?? "").slice(0, 512) };
}

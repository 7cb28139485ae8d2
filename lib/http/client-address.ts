import { BlockList, isIP } from "node:net";

/**
 * The header through which Latchkey's own server (scripts/server.ts) hands the client address to
 * Next. The server deletes whatever a client sent under this name and writes its own value, so
 * route handlers and actions can rely on it (ADR 0009).
 */
export const CLIENT_ADDRESS_HEADER = "x-latchkey-client-address";

/** Parses `TRUSTED_PROXIES` entries: single addresses or CIDR ranges, IPv4 or IPv6. */
export function parseProxyEntry(entry: string): { address: string; prefix: number; family: "ipv4" | "ipv6" } | null {
  const [address = "", prefixText, ...rest] = entry.trim().split("/");
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return null;
  const family = version === 4 ? "ipv4" : "ipv6";
  const maxPrefix = version === 4 ? 32 : 128;
  if (prefixText === undefined) return { address, prefix: maxPrefix, family };
  if (!/^\d{1,3}$/.test(prefixText)) return null;
  const prefix = Number(prefixText);
  return prefix <= maxPrefix ? { address, prefix, family } : null;
}

export function trustedProxiesFrom(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const parsed = parseProxyEntry(entry);
    if (!parsed) throw new Error(`not an IP address or CIDR range: ${entry}`);
    list.addSubnet(parsed.address, parsed.prefix, parsed.family);
  }
  return list;
}

/** An address as a forwarding header or a socket may write it, or null when it is not an IP. */
export function normaliseAddress(raw: string): string | null {
  let address = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(address);
  if (bracketed) address = bracketed[1]!;
  else if (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(address)) address = address.slice(0, address.lastIndexOf(":"));
  if (address.toLowerCase().startsWith("::ffff:") && isIP(address.slice(7)) === 4) address = address.slice(7);
  return isIP(address) ? address.toLowerCase() : null;
}

function isTrusted(address: string, trusted: BlockList): boolean {
  return trusted.check(address, isIP(address) === 4 ? "ipv4" : "ipv6");
}

/**
 * The client's address: the socket's peer, unless the peer is a proxy the operator declared, in
 * which case the right-most `X-Forwarded-For` entry that is not itself a trusted proxy. Entries
 * left of that were written by the client and prove nothing. An entry that is not an IP stops the
 * walk at the last trusted hop, so a garbled header never reaches client-written entries.
 */
export function clientAddress(peer: string | undefined, forwardedFor: string | string[] | undefined, trusted: BlockList): string {
  const socketAddress = peer ? normaliseAddress(peer) : null;
  if (!socketAddress) return "unknown";
  if (!isTrusted(socketAddress, trusted)) return socketAddress;
  const chain = (Array.isArray(forwardedFor) ? forwardedFor.join(",") : (forwardedFor ?? "")).split(",");
  let nearest = socketAddress;
  for (let index = chain.length - 1; index >= 0; index -= 1) {
    const entry = chain[index]!.trim();
    if (entry === "") continue;
    const address = normaliseAddress(entry);
    if (!address) return nearest;
    if (!isTrusted(address, trusted)) return address;
    nearest = address;
  }
  return nearest;
}

/**
 * Who a per-address rate limit counts: an IPv4 address, or the /64 of an IPv6 one (written
 * "2001:db8:0:1::/64"). One host is routinely given a whole /64, so keyed on the full IPv6
 * address, every limit would hand one host 2^64 allowances. Anything else ("unknown") as is.
 */
export function rateLimitSubject(address: string): string {
  if (isIP(address) !== 6) return address;
  const [head = "", tail] = address.toLowerCase().split("::");
  const groups = (part: string | undefined) => (part ? part.split(":") : []);
  // An embedded dotted IPv4 address only ever fills the last 32 bits: outside the /64.
  const known = [...groups(head), ...(tail === undefined ? [] : groups(tail))].length;
  const expanded = tail === undefined ? groups(head) : [...groups(head), ...Array(Math.max(0, 8 - known)).fill("0"), ...groups(tail)];
  const prefix = expanded.slice(0, 4).map((group) => (group.includes(".") ? "0" : group).replace(/^0+(?=.)/, ""));
  return `${prefix.join(":")}::/64`;
}

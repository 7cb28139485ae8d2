import type { Tx } from "../db";
import { rateLimitSubject } from "../http/client-address";

/**
 * Who asks for a code, or guesses one (ADR 0080). Code limits are charged to the requester first,
 * so strangers spend their own allowance, not the address owner's:
 * - `key`: the network (an IPv4 address or an IPv6 /64) for signed-out requests, the account for
 *   signed-in ones;
 * - `known`: the requester has proven it holds the account this address belongs to (the account
 *   itself, or a network it signed in from in the last KNOWN_NETWORK_DAYS days). A known requester
 *   is not refused by the per-address caps that strangers can fill; its own limits still apply.
 */
export type CodeRequester = { key: string; known: boolean };

/** How long a sign-in makes its network known to the account's address. */
export const KNOWN_NETWORK_DAYS = 30;

/** The signed-in account asking for (or checking) a code: known when the address is its own. */
export function accountRequester(userId: string, ownAddress: boolean): CodeRequester {
  return { key: `account:${userId}`, known: ownAddress };
}

/** The key of a signed-out requester at `ip` (its network), as networkRequester names it. */
export const networkKey = (ip: string): string => `ip:${rateLimitSubject(ip)}`;

// A uuid no account has: a request for an address without an account runs the same query.
const NO_ACCOUNT = "00000000-0000-0000-0000-000000000000";

/**
 * A signed-out requester at `ip`, for an address held by `userId` (null when none): known when the
 * account signed in from the same network within KNOWN_NETWORK_DAYS (its `user.signed_in` audit
 * events, which outlive sessions). The same query runs whether or not there is an account.
 */
export async function networkRequester(tx: Tx, ip: string, userId: string | null | undefined): Promise<CodeRequester> {
  const subject = rateLimitSubject(ip);
  // The sign-in's own address only ever reaches here through rateLimitSubject, so compare subjects.
  const rows = await tx.$queryRaw<{ ip: string }[]>`
    SELECT DISTINCT ip FROM audit_events
    WHERE user_id = ${userId ?? NO_ACCOUNT}::uuid AND action = 'user.signed_in' AND ip IS NOT NULL
      AND created_at > now() - make_interval(days => ${KNOWN_NETWORK_DAYS})
    LIMIT 200`;
  return { key: networkKey(ip), known: rows.some((row) => rateLimitSubject(row.ip) === subject) };
}

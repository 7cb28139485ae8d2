import { prisma, type Tx } from "../db";
import { hashToken, randomToken } from "../crypto";
import { recordAudit } from "../audit";
import { Prisma, type Role } from "../generated/prisma/client";
import type { RequestContext } from "../request-context";
import { sessionIdleMs } from "../limits";

export const SESSION_LIFETIME_DAYS = { BROWSER: 30, CLIENT: 90 } as const;
/** A browser must redeem its sign-in ticket with next-auth within this many seconds. */
const TICKET_LIFETIME_SECONDS = 120;
/** lastSeenAt is written at most this often per session, not on every request. */
const TOUCH_INTERVAL_MS = 60_000;

export type SessionKind = keyof typeof SESSION_LIFETIME_DAYS;

/** Why a session that still has its row no longer works, or null while it does. */
function staleReason(session: { kind: SessionKind; expiresAt: Date; lastSeenAt: Date }, now = Date.now()): "expired" | "idle" | null {
  if (session.expiresAt.getTime() <= now) return "expired";
  if (session.lastSeenAt.getTime() <= now - sessionIdleMs(session.kind)) return "idle";
  return null;
}

/**
 * The sessions that still work at `now` (neither expired nor idle), as a Prisma filter: the same
 * rule as staleReason, for lists and counts that must not count a session nobody has ended yet.
 */
export const liveSessionWhere = (now = new Date()): Prisma.SessionWhereInput => ({
  expiresAt: { gt: now },
  OR: (["BROWSER", "CLIENT"] as const).map((kind) => ({ kind, lastSeenAt: { gt: new Date(now.getTime() - sessionIdleMs(kind)) } })),
});

/**
 * Ends a session found expired or idle and records why in the account's activity, once: of
 * several requests that find it so, only the one whose delete removed the row writes the event.
 */
async function endStaleSession(session: { id: string; userId: string; deviceId: string }, reason: "expired" | "idle"): Promise<void> {
  await prisma.$transaction(async (tx) => {
    const { count } = await tx.session.deleteMany({ where: { id: session.id } });
    if (count !== 1) return;
    await recordAudit({ action: reason === "idle" ? "session.idle_timeout" : "session.expired", userId: session.userId, deviceId: session.deviceId }, tx);
  });
}

/**
 * Creates a session on a device and returns its secret once. For a messaging client the secret
 * is the bearer token; for a browser it is a single-use sign-in ticket that next-auth redeems.
 */
export async function createSession(
  tx: Tx,
  input: { userId: string; deviceId: string; kind: SessionKind; context?: Partial<RequestContext> },
): Promise<{ sessionId: string; token: string; expiresAt: Date }> {
  const token = randomToken();
  const expiresAt = new Date(Date.now() + SESSION_LIFETIME_DAYS[input.kind] * 86_400_000);
  const session = await tx.session.create({
    data: {
      userId: input.userId,
      deviceId: input.deviceId,
      kind: input.kind,
      tokenHash: hashToken(token),
      expiresAt,
      ip: input.context?.ip ?? null,
      userAgent: input.context?.userAgent ?? null,
    },
  });
  return { sessionId: session.id, token, expiresAt };
}

const liveSessionInclude = { user: true, device: true } as const;

export type LiveSession = NonNullable<Awaited<ReturnType<typeof findLiveSession>>>;

// A session is live while its row exists, it has not expired, its device is not revoked and its
// user is active: deleting the row, revoking the device or deactivating the user ends it at once.
async function findLiveSession(where: { id: string } | { tokenHash: string; kind: SessionKind }) {
  const session = await prisma.session.findUnique({ where, include: liveSessionInclude });
  if (!session || session.device.revoked || !session.user.isActive) return null;
  const stale = staleReason(session);
  if (stale) {
    await endStaleSession(session, stale);
    return null;
  }
  return session;
}

/** Who a bearer token speaks for: all an API route needs to know. */
export type BearerSession = { id: string; userId: string; deviceId: string; role: Role };

/**
 * The live CLIENT session behind a bearer token, or null (a browser's ticket is no bearer token,
 * ADR 0015). The API's hot path, so it is one joined read
 * of session, device and user (findLiveSession's rule, in SQL) rather than three.
 */
export async function authenticateBearerToken(token: string): Promise<BearerSession | null> {
  if (!token) return null;
  const tokenHash = hashToken(token);
  const [session] = await prisma.$queryRaw<(BearerSession & { lastSeenAt: Date })[]>(bearerSessionSql(tokenHash));
  if (!session) {
    await endStaleClientSession(tokenHash);
    return null;
  }
  await touchSession(session);
  return { id: session.id, userId: session.userId, deviceId: session.deviceId, role: session.role };
}

/** The read behind authenticateBearerToken (the bench's bare server runs it too). */
export function bearerSessionSql(tokenHash: string): Prisma.Sql {
  return Prisma.sql`
    SELECT s.id, s.user_id AS "userId", s.device_id AS "deviceId", u.role, s.last_seen_at AS "lastSeenAt"
    FROM sessions s JOIN devices d ON d.id = s.device_id JOIN users u ON u.id = s.user_id
    WHERE s.token_hash = ${tokenHash} AND s.kind = 'CLIENT' AND s.expires_at > now() AND NOT d.revoked AND u.is_active
      AND s.last_seen_at > now() - make_interval(secs => ${sessionIdleMs("CLIENT") / 1000})`;
}

// Only on the refusal path: a token that was refused for its age or idleness ends for good, with
// the reason in the account's activity; an unknown token costs one more indexed read.
async function endStaleClientSession(tokenHash: string): Promise<void> {
  const session = await prisma.session.findUnique({ where: { tokenHash, kind: "CLIENT" } });
  const stale = session && staleReason(session);
  if (session && stale) await endStaleSession(session, stale);
}

/** The live session a browser's JWT names, or null. */
export async function findLiveSessionById(sessionId: string): Promise<LiveSession | null> {
  const session = await findLiveSession({ id: sessionId });
  if (session) await touchSession(session);
  return session;
}

/**
 * Exchanges a browser's sign-in ticket for its BROWSER session, once, within two minutes of issue.
 * Redeeming replaces the stored hash with one of a value nobody knows, so the ticket matches
 * nothing afterwards (ADR 0015); a client's bearer token is never a ticket.
 */
export async function redeemSignInTicket(ticket: string): Promise<LiveSession | null> {
  if (!ticket) return null;
  const tokenHash = hashToken(ticket);
  const issued = await prisma.session.findUnique({ where: { tokenHash, kind: "BROWSER" }, select: { id: true } });
  if (!issued) return null;
  const redeemed = await prisma.session.updateMany({
    where: {
      id: issued.id,
      tokenHash,
      ticketRedeemedAt: null,
      createdAt: { gt: new Date(Date.now() - TICKET_LIFETIME_SECONDS * 1000) },
    },
    data: { ticketRedeemedAt: new Date(), tokenHash: hashToken(randomToken()) },
  });
  return redeemed.count === 1 ? findLiveSession({ id: issued.id }) : null;
}

// The conditional updates make concurrent requests write lastSeenAt once per interval, not once
// each; one statement, so a touch costs one round trip on the hot path, not a transaction. It
// refreshes the idle timeout too (ADR 0068). SKIP LOCKED: a touch never waits for a row another
// transaction holds (an account deletion, a revocation), so it can never be half of a deadlock;
// the touch it skips comes with the next request.
async function touchSession(session: { id: string; deviceId: string; lastSeenAt: Date }): Promise<void> {
  if (Date.now() - session.lastSeenAt.getTime() < TOUCH_INTERVAL_MS) return;
  const threshold = new Date(Date.now() - TOUCH_INTERVAL_MS);
  await prisma.$executeRaw`
    WITH touched AS (
      UPDATE sessions SET last_seen_at = now()
      WHERE id = (SELECT id FROM sessions WHERE id = ${session.id}::uuid AND last_seen_at < ${threshold} FOR UPDATE SKIP LOCKED)
    )
    UPDATE devices SET last_seen_at = now()
    WHERE id = (
      SELECT id FROM devices WHERE id = ${session.deviceId}::uuid AND (last_seen_at IS NULL OR last_seen_at < ${threshold})
      FOR UPDATE SKIP LOCKED
    )`;
}

/** Marks a session as freshly re-authenticated (password or code just proven). */
export async function markReauthenticated(sessionId: string, tx: Tx = prisma): Promise<void> {
  await tx.session.update({ where: { id: sessionId }, data: { authenticatedAt: new Date() } });
}

/** True when the user proved who they are in this session within the last `seconds`. */
export function isRecentlyAuthenticated(session: { authenticatedAt: Date }, seconds = 600): boolean {
  return Date.now() - session.authenticatedAt.getTime() <= seconds * 1000;
}

/** Ends one session of `userId`; returns false when no such session of theirs exists. */
export async function revokeSession(userId: string, sessionId: string, tx: Tx = prisma): Promise<boolean> {
  const { count } = await tx.session.deleteMany({ where: { id: sessionId, userId } });
  return count === 1;
}

/** A browser's own sign-out: ends its session and records it in the account's activity. */
export async function endBrowserSession(sessionId: string, context?: Partial<RequestContext>): Promise<void> {
  await prisma.$transaction(async (tx) => {
    const session = await tx.session.findUnique({ where: { id: sessionId }, select: { userId: true, deviceId: true } });
    if (!session || !(await revokeSession(session.userId, sessionId, tx))) return;
    await recordAudit({ action: "user.signed_out", userId: session.userId, deviceId: session.deviceId, context }, tx);
  });
}

/** Ends every session of the user except `keepSessionId` (none kept when omitted). */
export async function revokeAllSessions(userId: string, tx: Tx = prisma, keepSessionId?: string): Promise<number> {
  const { count } = await tx.session.deleteMany({
    where: { userId, ...(keepSessionId ? { id: { not: keepSessionId } } : {}) },
  });
  return count;
}

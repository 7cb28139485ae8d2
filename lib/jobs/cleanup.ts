import { UNCONFIRMED_SIGN_UP_HOURS, unconfirmedSignUp } from "../db/unconfirmed-sign-up";
import { prisma, type Tx } from "../db";
import { sessionIdleMs } from "../limits";

// DECISIONS.md §1 "cleanup": one idempotent routine, run by the in-app scheduler on every
// instance and by `npm run jobs:cleanup` from cron; a PostgreSQL advisory lock lets one run at a
// time. The lock is the transaction-scoped variant of pg_try_advisory_lock: Prisma's pool does not
// pin a connection, so a session lock could be released on another connection than the one that
// took it. Counters that outlive the rows (DailyMetric) and the audit log are never touched.

/** Claimed prekeys, superseded signed prekeys and delivered mail are kept this long. */
export const RETENTION_DAYS = 30;
/** Rate-limit hits older than this can no longer fall in any window (the longest is an hour). */
const RATE_LIMIT_HIT_HOURS = 24;
export const CLEANUP_LOCK_NAME = "latchkey:cleanup";

type CleanupCounts = {
  expiredCodes: number;
  expiredLinkTokens: number;
  expiredSessions: number;
  expiredPasskeyChallenges: number;
  expiredTwoStepChallenges: number;
  claimedPreKeys: number;
  claimedPqPreKeys: number;
  supersededSignedPreKeys: number;
  rateLimitHits: number;
  rateLimitBuckets: number;
  deliveredOutbox: number;
  unconfirmedSignUps: number;
};

type CleanupResult = { ran: true; deleted: CleanupCounts } | { ran: false; reason: "already_running" };

/**
 * Deletes sessions past their lifetime or idle past their kind's limit (ADR 0068), and records for
 * each one the account's holder saw (a redeemed browser session, a client's token) why it ended.
 * Requests end the ones they meet the same way (lib/auth/sessions.ts); this catches the rest.
 */
async function endStaleSessions(tx: Tx, now: Date): Promise<number> {
  const browserIdle = new Date(now.getTime() - sessionIdleMs("BROWSER"));
  const clientIdle = new Date(now.getTime() - sessionIdleMs("CLIENT"));
  const ended = await tx.$queryRaw<{ count: bigint }[]>`
    WITH ended AS (
      DELETE FROM sessions
      WHERE expires_at < ${now} OR (kind = 'BROWSER' AND last_seen_at < ${browserIdle}) OR (kind = 'CLIENT' AND last_seen_at < ${clientIdle})
      RETURNING user_id, device_id, expires_at < ${now} AS expired, kind = 'CLIENT' OR ticket_redeemed_at IS NOT NULL AS was_used
    ),
    recorded AS (
      INSERT INTO audit_events (id, action, user_id, actor_id, device_id, metadata)
      SELECT gen_random_uuid(), CASE WHEN expired THEN 'session.expired' ELSE 'session.idle_timeout' END, user_id, user_id, device_id, '{}'::jsonb
      FROM ended WHERE was_used
    )
    SELECT count(*) FROM ended`;
  return Number(ended[0]!.count);
}

export async function runCleanup(now: Date = new Date()): Promise<CleanupResult> {
  const retention = new Date(now.getTime() - RETENTION_DAYS * 86_400_000);
  const hitsBefore = new Date(now.getTime() - RATE_LIMIT_HIT_HOURS * 3_600_000);
  const signUpsBefore = new Date(now.getTime() - UNCONFIRMED_SIGN_UP_HOURS * 3_600_000);
  return prisma.$transaction(
    async (tx): Promise<CleanupResult> => {
      const [lock] = await tx.$queryRaw<{ locked: boolean }[]>`
        SELECT pg_try_advisory_xact_lock(hashtextextended(${CLEANUP_LOCK_NAME}, 0)) AS locked`;
      if (!lock?.locked) return { ran: false, reason: "already_running" };
      const count = async (deletion: Promise<{ count: number }>) => (await deletion).count;
      const claimed = { used: true, claimedAt: { lt: retention } };
      const deleted: CleanupCounts = {
        expiredCodes: await count(tx.oneTimeCode.deleteMany({ where: { expiresAt: { lt: now } } })),
        expiredLinkTokens: await count(tx.linkToken.deleteMany({ where: { expiresAt: { lt: now } } })),
        expiredSessions: await endStaleSessions(tx, now),
        expiredPasskeyChallenges: await count(tx.passkeyChallenge.deleteMany({ where: { expiresAt: { lt: now } } })),
        expiredTwoStepChallenges: await count(tx.twoStepChallenge.deleteMany({ where: { expiresAt: { lt: now } } })),
        claimedPreKeys: await count(tx.oneTimePreKey.deleteMany({ where: claimed })),
        claimedPqPreKeys: await count(tx.kyberPreKey.deleteMany({ where: claimed })),
        supersededSignedPreKeys: await count(tx.signedPreKey.deleteMany({ where: { supersededAt: { lt: retention } } })),
        rateLimitHits: await count(tx.rateLimitHit.deleteMany({ where: { createdAt: { lt: hitsBefore } } })),
        rateLimitBuckets: await count(tx.rateLimitBucket.deleteMany({ where: { resetAt: { lt: now } } })),
        deliveredOutbox: await count(tx.outboxMessage.deleteMany({ where: { status: "SENT", sentAt: { lt: retention } } })),
        // A sign-up nobody confirmed in a day frees its address (ADR 0075); its codes and links go with it.
        unconfirmedSignUps: await count(tx.user.deleteMany({ where: { ...unconfirmedSignUp, createdAt: { lt: signUpsBefore } } })),
      };
      return { ran: true, deleted };
    },
    { maxWait: 10_000, timeout: 10 * 60_000 },
  );
}

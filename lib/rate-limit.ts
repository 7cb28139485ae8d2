import { prisma, type Tx } from "./db";
import { RateLimitedError } from "./errors";

/**
 * Rate limits kept in PostgreSQL, so every app instance counts against the same numbers.
 *
 * - `consumeBurst`: a burst, then a steady rate (GCRA). One upsert per request: the hot path
 *   (key claims, per-IP limits) costs one round trip and holds the row lock only for that statement.
 * - `hitWindow` / `countWindow`: exact sliding windows ("at most 5 in any hour"), for the few
 *   places where a burst allowance would break the rule; serialised per key by an advisory lock.
 */

export type BurstLimit = { burst: number; perSeconds: number };

/** Consumes one request from `key`'s allowance; throws RateLimitedError with the wait when none is left. */
export async function consumeBurst(key: string, limit: BurstLimit, tx: Tx = prisma): Promise<void> {
  const retryAfterSeconds = await tryConsumeBurst(key, limit, tx);
  if (retryAfterSeconds !== null) throw new RateLimitedError(retryAfterSeconds);
}

/** Like consumeBurst, but returns the wait in seconds (null when allowed) instead of throwing. */
export async function tryConsumeBurst(key: string, { burst, perSeconds }: BurstLimit, tx: Tx = prisma): Promise<number | null> {
  const toleranceSeconds = burst * perSeconds;
  // reset_at moves one interval into the future per request; a request is allowed while it stays
  // within burst intervals of now.
  const allowed = await tx.$queryRaw<{ reset_at: Date }[]>`
    INSERT INTO rate_limit_buckets AS bucket (key, reset_at)
    VALUES (${key}, clock_timestamp() + make_interval(secs => ${perSeconds}))
    ON CONFLICT (key) DO UPDATE
      SET reset_at = GREATEST(bucket.reset_at, clock_timestamp()) + make_interval(secs => ${perSeconds})
      WHERE GREATEST(bucket.reset_at, clock_timestamp()) + make_interval(secs => ${perSeconds})
            <= clock_timestamp() + make_interval(secs => ${toleranceSeconds})
    RETURNING reset_at`;
  if (allowed.length > 0) return null;
  const [row] = await tx.$queryRaw<{ wait_seconds: number }[]>`
    SELECT EXTRACT(EPOCH FROM (reset_at - clock_timestamp())) AS wait_seconds FROM rate_limit_buckets WHERE key = ${key}`;
  const waitSeconds = Number(row?.wait_seconds ?? 0) + perSeconds - toleranceSeconds;
  return Math.max(1, Math.ceil(waitSeconds));
}

export type WindowLimit = { limit: number; windowSeconds: number };

export type WindowCount = { count: number; oldest: Date | null; newest: Date | null };

/** How many hits `key` has in the last `windowSeconds`. */
export async function countWindow(key: string, windowSeconds: number, tx: Tx = prisma): Promise<WindowCount> {
  const [row] = await tx.$queryRaw<{ count: bigint; oldest: Date | null; newest: Date | null }[]>`
    SELECT count(*) AS count, min(created_at) AS oldest, max(created_at) AS newest
    FROM rate_limit_hits
    WHERE key = ${key} AND created_at > clock_timestamp() - make_interval(secs => ${windowSeconds})`;
  return { count: Number(row?.count ?? 0), oldest: row?.oldest ?? null, newest: row?.newest ?? null };
}

/** Records one hit for `key` without checking a limit (e.g. a failed guess). */
export async function recordHit(key: string, tx: Tx = prisma): Promise<void> {
  await tx.$executeRaw`INSERT INTO rate_limit_hits (key, created_at) VALUES (${key}, clock_timestamp())`;
}

/**
 * Throws RateLimitedError, with the time until the oldest hit leaves the window, when `limit` hits
 * already fall in it. Take lockKey(key, tx) first when a hit may follow, so the count stays exact.
 */
export async function assertWindowOpen(key: string, { limit, windowSeconds }: WindowLimit, tx: Tx): Promise<void> {
  const { count, oldest } = await countWindow(key, windowSeconds, tx);
  if (count >= limit) {
    const waitMs = (oldest ? oldest.getTime() + windowSeconds * 1000 : Date.now()) - Date.now();
    throw new RateLimitedError(Math.max(1, Math.ceil(waitMs / 1000)));
  }
}

/**
 * Records a hit if fewer than `limit` hits fall in the window, else throws RateLimitedError with
 * the time until the oldest hit leaves the window. Exact under concurrency: callers for the same
 * key queue on a transaction-scoped advisory lock.
 */
export async function hitWindow(key: string, limit: WindowLimit, tx?: Tx): Promise<void> {
  const run = async (db: Tx) => {
    await lockKey(key, db);
    await assertWindowOpen(key, limit, db);
    await recordHit(key, db);
  };
  if (tx) await run(tx);
  else await prisma.$transaction(run);
}

/** Serialises transactions working on the same key until they commit or roll back. */
export async function lockKey(key: string, tx: Tx): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`;
}

import { prisma, type Tx } from "./db";
import { Prisma } from "./generated/prisma/client";
import { RateLimitedError } from "./errors";

/**
 * Rate limits kept in PostgreSQL, so every app instance counts against the same numbers.
 *
 * - `consumeBurst` / `consumeAllowances`: a burst, then a steady rate (GCRA). One statement per
 *   request, however many allowances it is checked against; the key claim embeds that statement
 *   in its own (`allowanceStatements`), so a fetch is one round trip and one commit.
 * - `hitWindow` / `countWindow`: exact sliding windows ("at most 5 in any hour"), for the few
 *   places where a burst allowance would break the rule; serialised per key by an advisory lock.
 */

export type BurstLimit = { burst: number; perSeconds: number };

/**
 * One allowance to check: `key`'s bucket under `limit`. `cost` (default 1) is how many units the
 * request spends at once, e.g. the phone numbers of one discovery lookup.
 */
export type Allowance = { key: string; limit: BurstLimit; cost?: number };

/** Consumes one request from `key`'s allowance; throws RateLimitedError with the wait when none is left. */
export async function consumeBurst(key: string, limit: BurstLimit, tx: Tx = prisma): Promise<void> {
  await consumeAllowances([{ key, limit }], tx);
}

/** Consumes one request from every allowance, or from none; throws RateLimitedError with the longest wait. */
export async function consumeAllowances(allowances: Allowance[], tx: Tx = prisma): Promise<void> {
  const retryAfterSeconds = await tryConsumeAllowances(allowances, tx);
  if (retryAfterSeconds !== null) throw new RateLimitedError(retryAfterSeconds);
}

/** Like consumeAllowances, but returns the wait in seconds (null when allowed) instead of throwing. */
export async function tryConsumeAllowances(allowances: Allowance[], tx: Tx = prisma): Promise<number | null> {
  const [row] = await tx.$queryRaw<{ wait_seconds: number; consumed: number }[]>`
    WITH ${allowanceStatements(allowances)}
    SELECT (SELECT wait_seconds FROM allowance) AS wait_seconds, (SELECT count(*)::int FROM consumed) AS consumed`;
  return row!.consumed === allowances.length ? null : retryAfter(row!.wait_seconds);
}

/** Seconds to announce in Retry-After for a refusal that computed `waitSeconds`. */
export function retryAfter(waitSeconds: number): number {
  return Math.max(1, Math.ceil(waitSeconds));
}

/**
 * The common table expressions that decide and record a request against several allowances in
 * one statement, so a caller can put them in front of its own work (the key claim does) and pay
 * one round trip and one commit for all of it. They define:
 * - `allowance(wait_seconds)`: one row; the request is allowed when wait_seconds <= 0, else it is
 *   the wait until every allowance has room again;
 * - `consumed(key)`: the buckets charged. All of them when allowed, none when refused: a refused
 *   request costs nothing, and an allowance never pays for a request another one refused.
 *
 * GCRA: reset_at moves one interval (times the cost) into the future per request; a request is allowed while it
 * stays within burst intervals of now. Statements sharing a bucket queue on a transaction-scoped
 * advisory lock per key, taken in one global order: row locks alone would deadlock, because a
 * bucket that does not exist yet cannot be locked before it is inserted. The locks and the read
 * of the buckets happen in latchkey_lock_rate_limit_buckets (a migration): its query takes its
 * own snapshot after the wait, so it sees a bucket another request created meanwhile (this
 * statement's snapshot, taken before the wait, would not, and the request would be decided as
 * if on a fresh bucket, charging the others while the upsert refused that one). The upsert
 * re-checks every bucket. Buckets are created only for allowed requests.
 */
export function allowanceStatements(allowances: Allowance[]): Prisma.Sql {
  const keys = allowances.map((allowance) => allowance.key);
  if (keys.length === 0 || new Set(keys).size !== keys.length) throw new Error("allowance keys must be present and distinct");
  const steps = allowances.map((allowance) => allowance.limit.perSeconds * (allowance.cost ?? 1));
  const tolerances = allowances.map((allowance) => allowance.limit.burst * allowance.limit.perSeconds);
  const stepOf = (key: Prisma.Sql) => Prisma.sql`make_interval(secs => (${steps}::float8[])[array_position(${keys}::text[], ${key})])`;
  const toleranceOf = (key: Prisma.Sql) =>
    Prisma.sql`make_interval(secs => (${tolerances}::float8[])[array_position(${keys}::text[], ${key})])`;
  return Prisma.sql`
    held AS MATERIALIZED (
      SELECT key, reset_at FROM latchkey_lock_rate_limit_buckets(${keys}::text[])
    ),
    allowance AS MATERIALIZED (
      SELECT max(EXTRACT(EPOCH FROM GREATEST(held.reset_at, clock_timestamp()) + ${stepOf(Prisma.sql`wanted.key`)}
                 - clock_timestamp() - ${toleranceOf(Prisma.sql`wanted.key`)}))::float8 AS wait_seconds
      FROM unnest(${keys}::text[]) AS wanted(key) LEFT JOIN held ON held.key = wanted.key
    ),
    consumed AS (
      INSERT INTO rate_limit_buckets AS bucket (key, reset_at)
      SELECT wanted.key, clock_timestamp() + ${stepOf(Prisma.sql`wanted.key`)}
      FROM unnest(${keys}::text[]) AS wanted(key)
      WHERE (SELECT wait_seconds <= 0 FROM allowance)
      ORDER BY wanted.key
      ON CONFLICT (key) DO UPDATE
        SET reset_at = GREATEST(bucket.reset_at, clock_timestamp()) + ${stepOf(Prisma.sql`bucket.key`)}
        WHERE GREATEST(bucket.reset_at, clock_timestamp()) + ${stepOf(Prisma.sql`bucket.key`)}
              <= clock_timestamp() + ${toleranceOf(Prisma.sql`bucket.key`)}
      RETURNING bucket.key
    )`;
}

export type WindowLimit = { limit: number; windowSeconds: number };

type WindowCount = { count: number; oldest: Date | null; newest: Date | null };

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
  if (count >= limit) throw new RateLimitedError(secondsUntilOldestLeaves(oldest, windowSeconds));
}

/** Seconds (at least 1) until the oldest hit of a full window leaves it. */
export function secondsUntilOldestLeaves(oldest: Date | null, windowSeconds: number): number {
  const waitMs = (oldest ? oldest.getTime() + windowSeconds * 1000 : Date.now()) - Date.now();
  return Math.max(1, Math.ceil(waitMs / 1000));
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

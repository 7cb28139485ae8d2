import { prisma } from "../db";
import type { PrismaClient } from "../generated/prisma/client";
import { RateLimitedError } from "../errors";
import { allowanceStatements, retryAfter, type Allowance } from "../rate-limit";
import { ONE_TIME_KEY_CLAIMS_PER_DEVICE } from "../limits";
import { claimBudgetKey } from "./claim-budget";
import type { KeyStatusResponse } from "./formats";

// What a device asks about its own keys (GET /api/keys/count).

type KeyStatusRow = {
  allowed: boolean;
  wait_seconds: number;
  pre_keys: number | null;
  pq_pre_keys: number | null;
  signed: number | null;
  last_resort: number | null;
  pre_keys_claimed: number | null;
  pq_pre_keys_claimed: number | null;
  throttled: boolean | null;
};

/**
 * What the calling device needs to keep its keys fresh (docs/api.md, "Keeping keys fresh"): the
 * one-time key stock and the age of the current signed prekey and of the Kyber last-resort key,
 * and whether others' claims of its one-time keys have hit the device's budget (ADR 0069).
 * Clients poll this, so the caller's allowances are charged in the same statement (one round trip
 * and one commit, as the claim does, ADR 0040); a refused poll reads nothing and throws.
 */
export async function keyStatus(deviceId: string, callerAllowances: Allowance[], db: PrismaClient = prisma): Promise<KeyStatusResponse> {
  // Timestamps are stored as UTC `timestamp`; the ages are read against the database's clock.
  // claimed_at and the budget's bucket are written by SQL, so they are compared the way they were
  // written (as the claim statement and lib/rate-limit.ts do). The budget is spent when one more
  // claim would step past its tolerance, the upsert's own test.
  const { burst, perSeconds } = ONE_TIME_KEY_CLAIMS_PER_DEVICE;
  const [row] = await db.$queryRaw<KeyStatusRow[]>`
    WITH ${allowanceStatements(callerAllowances)},
    verdict AS MATERIALIZED (
      SELECT (SELECT count(*) FROM consumed) = ${callerAllowances.length} AS allowed, (SELECT wait_seconds FROM allowance) AS wait_seconds
    )
    SELECT verdict.allowed, verdict.wait_seconds, status.*
    FROM verdict LEFT JOIN LATERAL (
      SELECT
        (SELECT count(*)::int FROM one_time_prekeys WHERE device_id = ${deviceId}::uuid AND NOT used) AS pre_keys,
        (SELECT count(*)::int FROM kyber_prekeys WHERE device_id = ${deviceId}::uuid AND NOT used) AS pq_pre_keys,
        (SELECT floor(EXTRACT(EPOCH FROM (clock_timestamp() AT TIME ZONE 'UTC') - created_at))::int FROM signed_prekeys
          WHERE device_id = ${deviceId}::uuid AND superseded_at IS NULL ORDER BY created_at DESC LIMIT 1) AS signed,
        (SELECT floor(EXTRACT(EPOCH FROM (clock_timestamp() AT TIME ZONE 'UTC') - created_at))::int FROM kyber_last_resort_keys
          WHERE device_id = ${deviceId}::uuid) AS last_resort,
        (SELECT count(*)::int FROM one_time_prekeys
          WHERE device_id = ${deviceId}::uuid AND used AND claimed_at > now() - interval '1 hour') AS pre_keys_claimed,
        (SELECT count(*)::int FROM kyber_prekeys
          WHERE device_id = ${deviceId}::uuid AND used AND claimed_at > now() - interval '1 hour') AS pq_pre_keys_claimed,
        COALESCE((SELECT GREATEST(reset_at, clock_timestamp()) + make_interval(secs => ${perSeconds}::float8)
                         > clock_timestamp() + make_interval(secs => ${burst * perSeconds}::float8)
          FROM rate_limit_buckets WHERE key = ${claimBudgetKey(deviceId)}), false) AS throttled
      WHERE verdict.allowed
    ) status ON true`;
  if (!row!.allowed) throw new RateLimitedError(retryAfter(row!.wait_seconds));
  const age = (seconds: number | null) => (seconds === null ? null : Math.max(0, seconds));
  return {
    preKeys: row!.pre_keys!,
    pqPreKeys: row!.pq_pre_keys!,
    signedPreKeyAgeSeconds: age(row!.signed),
    hasPqLastResortPreKey: row!.last_resort !== null,
    pqLastResortPreKeyAgeSeconds: age(row!.last_resort),
    claimsThrottled: row!.throttled!,
    preKeysClaimedLastHour: row!.pre_keys_claimed!,
    pqPreKeysClaimedLastHour: row!.pq_pre_keys_claimed!,
  };
}

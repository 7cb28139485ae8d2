import { prisma } from "../db";
import { Prisma, type PrismaClient } from "../generated/prisma/client";
import { notFound, RateLimitedError } from "../errors";
import { KEY_CLAIM_TARGET_LIMITS, ONE_TIME_KEY_CLAIMS_PER_DEVICE } from "../limits";
import { allowanceStatements, retryAfter, type Allowance } from "../rate-limit";
import { encodeBase64 } from "./base64";
import { claimBudgetKey, noticeThrottledClaims } from "./claim-budget";
import { retryWriteConflicts } from "../db/write-conflict";
import type { KeyBundleResponse } from "./formats";
import { identityKeyEpochs } from "../transparency/published";

// Another client claims a user's prekey bundles (DECISIONS.md §4): one statement charges the
// allowances and takes one key of each kind per device, never the same key twice.

export type BundleRow = {
  device_id: string;
  registration_id: number;
  identity_key: Uint8Array;
  signed_key_id: number;
  signed_public_key: Uint8Array;
  signed_signature: Uint8Array;
  pre_key_id: number | null;
  pre_public_key: Uint8Array | null;
  pq_key_id: number;
  pq_public_key: Uint8Array;
  pq_signature: Uint8Array;
  /** The device's claim budget was spent: no one-time key was taken from it (ADR 0069). */
  throttled: boolean;
};

/** The claim statement's rows: one verdict on the allowances, and the bundles when allowed. */
export type ClaimRow = { allowed: boolean; wait_seconds: number } & ({ device_id: null } | BundleRow);

type ClaimInput = {
  requesterUserId: string;
  requesterDeviceId: string;
  targetUserId: string;
  deviceId: string | "*";
  /** The caller's own allowances (the route's per-device and per-account limits), charged with the claim. */
  callerAllowances?: Allowance[];
};

/** The allowances a fetch of `targetUserId`'s keys is charged against besides the caller's own. */
export function targetAllowances(input: Pick<ClaimInput, "requesterUserId" | "requesterDeviceId" | "targetUserId">): Allowance[] {
  return [
    { key: `key-claim:${input.requesterDeviceId}:${input.targetUserId}`, limit: KEY_CLAIM_TARGET_LIMITS.perDevice },
    { key: `key-claim-account:${input.requesterUserId}:${input.targetUserId}`, limit: KEY_CLAIM_TARGET_LIMITS.perAccount },
  ];
}

/**
 * Claims a bundle for every servable device of `targetUserId` (or only `deviceId`): active, not
 * revoked, holding an identity key, a current signed prekey and a Kyber last-resort key. Each
 * bundle carries one EC and one Kyber one-time key, marked used by the same statement that picks
 * them; SKIP LOCKED makes concurrent claims (from any instance) take different rows, so no key is
 * ever served twice. Without Kyber keys the last-resort key is served; without EC keys, null.
 * The same happens to a device whose one-time keys were claimed beyond its budget, by anyone
 * (ADR 0069): its owner is told (noticeThrottledClaims) and sees it in GET /api/keys/count.
 *
 * The allowances and the claim are one statement (ADR 0040): one round trip, one commit, and
 * nothing claimed unless every allowance was charged. A fetch that finds nothing still uses up
 * allowance, so the limits also slow down anyone probing for users and devices.
 */
export async function claimBundles(input: ClaimInput, db: PrismaClient = prisma): Promise<KeyBundleResponse> {
  const onlyDevice = input.deviceId === "*" ? null : input.deviceId;
  const allowances = [...(input.callerAllowances ?? []), ...targetAllowances(input)];
  // A claim of several devices share-locks them in the plan's order, which an account deletion
  // cannot share: the loser of such a deadlock runs again (ADR 0067); the statement is its own
  // transaction, so nothing of the lost attempt was kept.
  const rows = await retryWriteConflicts(() => db.$queryRaw<ClaimRow[]>(claimStatement(allowances, input.targetUserId, onlyDevice)));
  const verdict = rows[0]!;
  if (!verdict.allowed) throw new RateLimitedError(retryAfter(verdict.wait_seconds));
  const bundles = rows.filter((row): row is ClaimRow & BundleRow => row.device_id !== null);
  if (bundles.length === 0) {
    throw notFound(
      onlyDevice
        ? "No such device: it does not exist, was revoked, or has not uploaded its keys yet."
        : "No such user, or none of their devices has uploaded its keys yet.",
    );
  }
  const throttled = bundles.filter((bundle) => bundle.throttled).map((bundle) => bundle.device_id);
  if (throttled.length > 0) noticeThrottledClaims(throttled);
  const epochs = await identityKeyEpochs(
    input.targetUserId,
    bundles.map((row) => ({ deviceId: row.device_id, identityKey: row.identity_key })),
  );
  return { userId: input.targetUserId, devices: bundles.map((row) => ({ ...toBundle(row), transparencyEpoch: epochs.get(row.device_id) })) };
}

// Exported for the bench's bare server, which runs exactly this statement.
// `target` runs only when every allowance was charged. `budget` then charges each target device's
// claim budget (ADR 0069) with the same GCRA step as lib/rate-limit.ts, as a single upsert per
// device, in key order: the conflict check and the WHERE read the newest row version, so
// concurrent claims cannot both spend the last unit, and it needs no advisory lock because no
// other bucket depends on its verdict. Only devices it returns get one-time keys; the others
// are served their last-resort key. The picks are MATERIALIZED so each runs
// exactly once: a pick re-run inside a join could lock and mark a second key. FOR SHARE on the
// devices waits for a revocation in flight, after which the revoked device no longer qualifies.
// The verdict row is always there; bundle columns are NULL when nothing was served.
export function claimStatement(allowances: Allowance[], targetUserId: string, onlyDevice: string | null): Prisma.Sql {
  const budgetPrefix = claimBudgetKey("");
  const budgetStep = Prisma.sql`make_interval(secs => ${ONE_TIME_KEY_CLAIMS_PER_DEVICE.perSeconds}::float8)`;
  const budgetTolerance = Prisma.sql`make_interval(secs => ${ONE_TIME_KEY_CLAIMS_PER_DEVICE.burst * ONE_TIME_KEY_CLAIMS_PER_DEVICE.perSeconds}::float8)`;
  return Prisma.sql`
    WITH ${allowanceStatements(allowances)},
    verdict AS MATERIALIZED (
      SELECT (SELECT count(*) FROM consumed) = ${allowances.length} AS allowed, (SELECT wait_seconds FROM allowance) AS wait_seconds
    ),
    target AS MATERIALIZED (
      SELECT d.id, d.created_at
      FROM devices d JOIN users u ON u.id = d.user_id
      WHERE (SELECT allowed FROM verdict)
        AND d.user_id = ${targetUserId}::uuid
        AND (${onlyDevice}::uuid IS NULL OR d.id = ${onlyDevice}::uuid)
        AND u.is_active AND NOT d.revoked
        AND EXISTS (SELECT 1 FROM identity_keys ik WHERE ik.device_id = d.id)
        AND EXISTS (SELECT 1 FROM kyber_last_resort_keys lr WHERE lr.device_id = d.id)
        AND EXISTS (SELECT 1 FROM signed_prekeys s WHERE s.device_id = d.id AND s.superseded_at IS NULL)
      FOR SHARE OF d
    ),
    budget AS (
      INSERT INTO rate_limit_buckets AS bucket (key, reset_at)
      SELECT ${budgetPrefix} || t.id::text, clock_timestamp() + ${budgetStep}
      FROM target t
      ORDER BY 1
      ON CONFLICT (key) DO UPDATE
        SET reset_at = GREATEST(bucket.reset_at, clock_timestamp()) + ${budgetStep}
        WHERE GREATEST(bucket.reset_at, clock_timestamp()) + ${budgetStep} <= clock_timestamp() + ${budgetTolerance}
      RETURNING substr(bucket.key, ${budgetPrefix.length + 1})::uuid AS device_id
    ),
    ec_pick AS MATERIALIZED (
      SELECT pick.id FROM budget t CROSS JOIN LATERAL (
        SELECT k.id FROM one_time_prekeys k WHERE k.device_id = t.device_id AND NOT k.used LIMIT 1 FOR UPDATE SKIP LOCKED
      ) pick
    ),
    ec AS (
      UPDATE one_time_prekeys SET used = true, claimed_at = now()
      WHERE id IN (SELECT id FROM ec_pick)
      RETURNING device_id, key_id, public_key
    ),
    pq_pick AS MATERIALIZED (
      SELECT pick.id FROM budget t CROSS JOIN LATERAL (
        SELECT k.id FROM kyber_prekeys k WHERE k.device_id = t.device_id AND NOT k.used LIMIT 1 FOR UPDATE SKIP LOCKED
      ) pick
    ),
    pq AS (
      UPDATE kyber_prekeys SET used = true, claimed_at = now()
      WHERE id IN (SELECT id FROM pq_pick)
      RETURNING device_id, key_id, public_key, signature
    ),
    bundles AS (
      SELECT t.id AS device_id, t.created_at AS device_created_at, ik.registration_id, ik.public_key AS identity_key,
             spk.key_id AS signed_key_id, spk.public_key AS signed_public_key, spk.signature AS signed_signature,
             ec.key_id AS pre_key_id, ec.public_key AS pre_public_key,
             COALESCE(pq.key_id, lr.key_id) AS pq_key_id,
             COALESCE(pq.public_key, lr.public_key) AS pq_public_key,
             COALESCE(pq.signature, lr.signature) AS pq_signature,
             NOT EXISTS (SELECT 1 FROM budget b WHERE b.device_id = t.id) AS throttled
      FROM target t
      JOIN identity_keys ik ON ik.device_id = t.id
      JOIN kyber_last_resort_keys lr ON lr.device_id = t.id
      JOIN LATERAL (
        SELECT s.key_id, s.public_key, s.signature FROM signed_prekeys s
        WHERE s.device_id = t.id AND s.superseded_at IS NULL ORDER BY s.created_at DESC LIMIT 1
      ) spk ON true
      LEFT JOIN ec ON ec.device_id = t.id
      LEFT JOIN pq ON pq.device_id = t.id
    )
    SELECT verdict.allowed, verdict.wait_seconds, bundles.device_id, bundles.registration_id, bundles.identity_key,
           bundles.signed_key_id, bundles.signed_public_key, bundles.signed_signature, bundles.pre_key_id,
           bundles.pre_public_key, bundles.pq_key_id, bundles.pq_public_key, bundles.pq_signature,
           bundles.throttled
    FROM verdict LEFT JOIN bundles ON true
    ORDER BY bundles.device_created_at, bundles.device_id`;
}

export function toBundle(row: BundleRow): KeyBundleResponse["devices"][number] {
  return {
    deviceId: row.device_id,
    registrationId: row.registration_id,
    identityKey: encodeBase64(row.identity_key),
    signedPreKey: { keyId: row.signed_key_id, publicKey: encodeBase64(row.signed_public_key), signature: encodeBase64(row.signed_signature) },
    preKey: row.pre_key_id === null || !row.pre_public_key ? null : { keyId: row.pre_key_id, publicKey: encodeBase64(row.pre_public_key) },
    pqPreKey: { keyId: row.pq_key_id, publicKey: encodeBase64(row.pq_public_key), signature: encodeBase64(row.pq_signature) },
  };
}

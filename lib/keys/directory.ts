import { prisma, type Tx } from "../db";
import { Prisma, type PrismaClient } from "../generated/prisma/client";
import { recordAudit } from "../audit";
import { AppError, notFound, RateLimitedError, unauthorized } from "../errors";
import { allowanceStatements, retryAfter, type Allowance, type BurstLimit } from "../rate-limit";
import type { RequestContext } from "../request-context";
import { encodeBase64 } from "./base64";
import type { KeyBundleResponse, KeyStatusResponse, KeyUpload } from "./formats";
import { inUploadTurn } from "./upload-turns";
import { verifyUploadSignatures } from "./verify-upload";

// The prekey directory (DECISIONS.md §4): devices publish keys, other clients claim them. Every
// function takes the Prisma client to use, so tests can act as several app instances at once.

/** Fetches of one user's keys by one device: a burst of 10, then 1 a minute. */
export const CLAIM_LIMIT: BurstLimit = { burst: 10, perSeconds: 60 };
/**
 * Fetches of one user's keys by all devices of one account together: without it, an account
 * that signs in many client devices would multiply the per-device allowance and drain a target.
 */
export const CLAIM_ACCOUNT_LIMIT: BurstLimit = { burst: 30, perSeconds: 20 };

/**
 * Fetches of anyone's keys by one account, all targets and devices together (the shape of
 * Signal-Server's prekey limiter): enough to start conversations with a few hundred people at
 * once (a new group), too little to walk the directory or drain keys across many users.
 */
export const CLAIM_BUDGET: BurstLimit = { burst: 200, perSeconds: 18 };
/** The same budget per calling device, so one device cannot spend its whole account's. */
export const CLAIM_BUDGET_PER_DEVICE: BurstLimit = { burst: 100, perSeconds: 36 };

/** Recorded on each signed prekey; keys are served until replaced, this only marks them stale. */
const SIGNED_PREKEY_LIFETIME_DAYS = 30;

type Db = PrismaClient;

const keyIdConflict = (kind: string, keyIds: number[]) =>
  new AppError(
    "key_id_conflict",
    `keyId ${keyIds.join(", ")} of ${kind} is already stored for this device; use new key ids.`,
    409,
  );

const sameBytes = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

/**
 * Stores a device's upload, all or nothing. Signatures are checked first (422, nothing stored);
 * then, in one transaction holding the device's row lock, the identity (fixed by the first upload,
 * 409 when different), the signed prekey, the one-time lists and the last-resort key.
 */
export function uploadKeys(
  device: { id: string; userId: string },
  upload: KeyUpload,
  context?: Partial<RequestContext>,
  db: Db = prisma,
): Promise<void> {
  return inUploadTurn(() => storeUpload(device, upload, context, db));
}

async function storeUpload(device: { id: string; userId: string }, upload: KeyUpload, context: Partial<RequestContext> | undefined, db: Db) {
  const signatures = await verifyUploadSignatures(upload.identityKey, upload);
  if (!signatures.ok) {
    throw new AppError(
      "invalid_signature",
      `The signature of ${signatures.failed} does not verify against the identity key; nothing was stored.`,
      422,
    );
  }
  await db.$transaction(async (tx) => {
    await lockActiveDevice(tx, device.id);
    await setIdentity(tx, device.id, upload);
    if (upload.signedPreKey) await replaceSignedPreKey(tx, device.id, upload.signedPreKey);
    if (upload.preKeys) await replaceOneTimePreKeys(tx, device.id, upload.preKeys);
    await replaceKyberKeys(tx, device.id, upload);
    await recordAudit(
      {
        action: "keys.uploaded",
        userId: device.userId,
        deviceId: device.id,
        context,
        metadata: {
          signedPreKey: upload.signedPreKey?.keyId ?? null,
          preKeys: upload.preKeys?.length ?? null,
          pqPreKeys: upload.pqPreKeys?.length ?? null,
          pqLastResortPreKey: upload.pqLastResortPreKey?.keyId ?? null,
        },
      },
      tx,
    );
  });
}

// Concurrent uploads for one device queue here, and a claim (FOR SHARE) never sees half an upload.
async function lockActiveDevice(tx: Tx, deviceId: string): Promise<void> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM devices WHERE id = ${deviceId}::uuid AND NOT revoked FOR UPDATE`;
  if (rows.length === 0) throw unauthorized("This device has been revoked.");
}

async function setIdentity(tx: Tx, deviceId: string, upload: KeyUpload): Promise<void> {
  const stored = await tx.identityKey.findUnique({ where: { deviceId } });
  if (!stored) {
    await tx.identityKey.create({ data: { deviceId, publicKey: upload.identityKey, registrationId: upload.registrationId } });
    return;
  }
  if (!sameBytes(stored.publicKey, upload.identityKey)) {
    throw new AppError(
      "identity_key_mismatch",
      "This device already has a different identity key. An identity key never changes: a reinstalled client signs in again as a new device.",
      409,
    );
  }
  if (stored.registrationId !== upload.registrationId) {
    throw new AppError(
      "registration_id_mismatch",
      `This device's registration id is ${stored.registrationId}; it never changes.`,
      409,
    );
  }
}

type SignedKey = { keyId: number; publicKey: Uint8Array<ArrayBuffer>; signature: Uint8Array<ArrayBuffer> };

const isSameKey = (stored: SignedKey, uploaded: SignedKey) =>
  stored.keyId === uploaded.keyId && sameBytes(stored.publicKey, uploaded.publicKey) && sameBytes(stored.signature, uploaded.signature);

// Re-sending the current key is a no-op (a retried upload); any other stored keyId is a conflict,
// because a sender holding the old key under that id would build a session the device cannot open.
async function replaceSignedPreKey(tx: Tx, deviceId: string, key: SignedKey): Promise<void> {
  const existing = await tx.signedPreKey.findUnique({ where: { deviceId_keyId: { deviceId, keyId: key.keyId } } });
  if (existing) {
    if (existing.supersededAt === null && isSameKey(existing, key)) return;
    throw keyIdConflict("signedPreKey", [key.keyId]);
  }
  const now = new Date();
  await tx.signedPreKey.updateMany({ where: { deviceId, supersededAt: null }, data: { supersededAt: now } });
  await tx.signedPreKey.create({
    data: {
      deviceId,
      keyId: key.keyId,
      publicKey: key.publicKey,
      signature: key.signature,
      expiresAt: new Date(now.getTime() + SIGNED_PREKEY_LIFETIME_DAYS * 86_400_000),
    },
  });
}

// Unclaimed keys are replaced; claimed ones stay (a sender may still use them), so their ids stay taken.
async function replaceOneTimePreKeys(tx: Tx, deviceId: string, keys: NonNullable<KeyUpload["preKeys"]>): Promise<void> {
  await tx.oneTimePreKey.deleteMany({ where: { deviceId, used: false } });
  const keyIds = keys.map((key) => key.keyId);
  const taken = await tx.oneTimePreKey.findMany({ where: { deviceId, keyId: { in: keyIds } }, select: { keyId: true } });
  if (taken.length > 0) throw keyIdConflict("preKeys", taken.map((key) => key.keyId));
  await tx.$executeRaw`
    INSERT INTO one_time_prekeys (id, device_id, key_id, public_key)
    SELECT gen_random_uuid(), ${deviceId}::uuid, key_id, public_key
    FROM unnest(${keys.map((key) => key.keyId)}::int[], ${keys.map((key) => bytes(key.publicKey))}::bytea[]) AS uploaded(key_id, public_key)`;
}

// A hundred keys through createMany cost ~65 ms of the event loop in Prisma's serialisation, one
// statement over arrays ~6 ms (issue 12: uploads must not stall other requests). Same rows.
const bytes = (value: Uint8Array) => Buffer.from(value.buffer, value.byteOffset, value.byteLength);

// Kyber one-time keys and the last-resort key share one id space per device (ADR 0007).
async function replaceKyberKeys(tx: Tx, deviceId: string, upload: KeyUpload): Promise<void> {
  const { pqPreKeys, pqLastResortPreKey } = upload;
  if (!pqPreKeys && !pqLastResortPreKey) return;
  if (pqPreKeys) await tx.kyberPreKey.deleteMany({ where: { deviceId, used: false } });

  const storedLastResort = await tx.kyberLastResortKey.findUnique({ where: { deviceId } });
  const keepsLastResort = pqLastResortPreKey && storedLastResort && isSameKey(storedLastResort, pqLastResortPreKey);
  const newIds = [...(pqPreKeys ?? []).map((key) => key.keyId), ...(pqLastResortPreKey && !keepsLastResort ? [pqLastResortPreKey.keyId] : [])];
  const taken = new Set(
    (await tx.kyberPreKey.findMany({ where: { deviceId, keyId: { in: newIds } }, select: { keyId: true } })).map((key) => key.keyId),
  );
  // The stored last-resort key's id stays taken even when this upload replaces that key: senders
  // may hold it, and a new key under the same id would be one the device cannot tell apart.
  if (storedLastResort && newIds.includes(storedLastResort.keyId)) taken.add(storedLastResort.keyId);
  if (taken.size > 0) throw keyIdConflict("pqPreKeys/pqLastResortPreKey", [...taken].sort((a, b) => a - b));

  if (pqPreKeys) {
    await tx.$executeRaw`
      INSERT INTO kyber_prekeys (id, device_id, key_id, public_key, signature)
      SELECT gen_random_uuid(), ${deviceId}::uuid, key_id, public_key, signature
      FROM unnest(
        ${pqPreKeys.map((key) => key.keyId)}::int[],
        ${pqPreKeys.map((key) => bytes(key.publicKey))}::bytea[],
        ${pqPreKeys.map((key) => bytes(key.signature))}::bytea[]
      ) AS uploaded(key_id, public_key, signature)`;
  }
  if (pqLastResortPreKey && !keepsLastResort) {
    const data = { keyId: pqLastResortPreKey.keyId, publicKey: pqLastResortPreKey.publicKey, signature: pqLastResortPreKey.signature };
    await tx.kyberLastResortKey.upsert({ where: { deviceId }, create: { deviceId, ...data }, update: { ...data, createdAt: new Date() } });
  }
}

type KeyStatusRow = {
  allowed: boolean;
  wait_seconds: number;
  pre_keys: number | null;
  pq_pre_keys: number | null;
  signed: number | null;
  last_resort: number | null;
};

/**
 * What the calling device needs to keep its keys fresh (docs/api.md, "Keeping keys fresh"): the
 * one-time key stock and the age of the current signed prekey and of the Kyber last-resort key.
 * Clients poll this, so the caller's allowances are charged in the same statement (one round trip
 * and one commit, as the claim does, ADR 0040); a refused poll reads nothing and throws.
 */
export async function keyStatus(deviceId: string, callerAllowances: Allowance[], db: Db = prisma): Promise<KeyStatusResponse> {
  // Timestamps are stored as UTC `timestamp`; the ages are read against the database's clock.
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
          WHERE device_id = ${deviceId}::uuid) AS last_resort
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
  };
}

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
};

/** The claim statement's rows: one verdict on the allowances, and the bundles when allowed. */
export type ClaimRow = { allowed: boolean; wait_seconds: number } & ({ device_id: null } | BundleRow);

export type ClaimInput = {
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
    { key: `key-claim:${input.requesterDeviceId}:${input.targetUserId}`, limit: CLAIM_LIMIT },
    { key: `key-claim-account:${input.requesterUserId}:${input.targetUserId}`, limit: CLAIM_ACCOUNT_LIMIT },
  ];
}

/**
 * Claims a bundle for every servable device of `targetUserId` (or only `deviceId`): active, not
 * revoked, holding an identity key, a current signed prekey and a Kyber last-resort key. Each
 * bundle carries one EC and one Kyber one-time key, marked used by the same statement that picks
 * them; SKIP LOCKED makes concurrent claims (from any instance) take different rows, so no key is
 * ever served twice. Without Kyber keys the last-resort key is served; without EC keys, null.
 *
 * The allowances and the claim are one statement (ADR 0040): one round trip, one commit, and
 * nothing claimed unless every allowance was charged. A fetch that finds nothing still uses up
 * allowance, so the limits also slow down anyone probing for users and devices.
 */
export async function claimBundles(input: ClaimInput, db: Db = prisma): Promise<KeyBundleResponse> {
  const onlyDevice = input.deviceId === "*" ? null : input.deviceId;
  const allowances = [...(input.callerAllowances ?? []), ...targetAllowances(input)];
  const rows = await db.$queryRaw<ClaimRow[]>(claimStatement(allowances, input.targetUserId, onlyDevice));
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
  return { userId: input.targetUserId, devices: bundles.map(toBundle) };
}

// Exported for the bench's bare server, which runs exactly this statement.
// `target` runs only when every allowance was charged. The picks are MATERIALIZED so each runs
// exactly once: a pick re-run inside a join could lock and mark a second key. FOR SHARE on the
// devices waits for a revocation in flight, after which the revoked device no longer qualifies.
// The verdict row is always there; bundle columns are NULL when nothing was served.
export function claimStatement(allowances: Allowance[], targetUserId: string, onlyDevice: string | null): Prisma.Sql {
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
    ec_pick AS MATERIALIZED (
      SELECT pick.id FROM target t CROSS JOIN LATERAL (
        SELECT k.id FROM one_time_prekeys k WHERE k.device_id = t.id AND NOT k.used LIMIT 1 FOR UPDATE SKIP LOCKED
      ) pick
    ),
    ec AS (
      UPDATE one_time_prekeys SET used = true, claimed_at = now()
      WHERE id IN (SELECT id FROM ec_pick)
      RETURNING device_id, key_id, public_key
    ),
    pq_pick AS MATERIALIZED (
      SELECT pick.id FROM target t CROSS JOIN LATERAL (
        SELECT k.id FROM kyber_prekeys k WHERE k.device_id = t.id AND NOT k.used LIMIT 1 FOR UPDATE SKIP LOCKED
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
             COALESCE(pq.signature, lr.signature) AS pq_signature
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
           bundles.pre_public_key, bundles.pq_key_id, bundles.pq_public_key, bundles.pq_signature
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

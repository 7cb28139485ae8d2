import { prisma, type Tx } from "../db";
import type { PrismaClient } from "../generated/prisma/client";
import { recordAudit } from "../audit";
import { AppError, unauthorized } from "../errors";
import type { RequestContext } from "../request-context";
import type { KeyUpload } from "./formats";
import { inUploadTurn } from "./upload-turns";
import { holdUserRow } from "../users/lock";
import { retryWriteConflicts } from "../db/write-conflict";
import { verifyUploadSignatures } from "./verify-upload";
import { labels } from "../../packages/client/src/transparency/index";
import { queueLabels } from "../transparency/pending";

// A device publishes its keys (DECISIONS.md §4; its status is in ./status.ts, other clients claim
// them in ./claim.ts). Every function takes the Prisma client to use, so tests can act as several
// app instances at once.

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
  await retryWriteConflicts(() =>
    db.$transaction(async (tx) => {
      if (!(await holdUserRow(tx, device.userId))) throw unauthorized("This account no longer exists.");
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
    }),
  );
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
    const created = await tx.identityKey.create({
      data: { deviceId, publicKey: upload.identityKey, registrationId: upload.registrationId },
      select: { device: { select: { userId: true } } },
    });
    await queueLabels(tx, [labels.deviceKeys(created.device.userId)]);
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

import { randomUUID } from "node:crypto";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { KEMKeyPair, PrivateKey } from "@signalapp/libsignal-client";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../generated/prisma/client";
import { prisma } from "../db";
import { revokeDevice } from "../devices/devices";
import { AppError, RateLimitedError } from "../errors";
import { createTestDevice, createTestUser, resetDatabase } from "../../test/db";
import { settleAfterAnswer } from "../after-answer";
import { ONE_TIME_KEY_CLAIMS_PER_DEVICE } from "../limits";
import { claimBundles } from "./claim";
import { keyStatus } from "./status";
import { uploadKeys } from "./upload";
import { keyUploadSchema, type KeyUpload } from "./formats";
import { generateClientKeys, type ClientKeys } from "../../test/keys";

// Separate clients with their own pools stand in for separate app instances.
const instances = [prisma, ...[1, 2].map(() => new PrismaClient({ adapter: new PrismaPg({ connectionString: process.env.DATABASE_URL!, max: 10 }) }))];
afterAll(() => Promise.all(instances.slice(1).map((instance) => instance.$disconnect())));

beforeEach(resetDatabase);

type Device = { id: string; userId: string };

/** The device's unclaimed one-time keys, as GET /api/keys/count reports them (charged to a fresh allowance). */
async function countUnclaimedKeys(deviceId: string) {
  const { preKeys, pqPreKeys } = await keyStatus(deviceId, [{ key: `test:count:${randomUUID()}`, limit: { burst: 1, perSeconds: 60 } }]);
  return { preKeys, pqPreKeys };
}

async function newDevice(userId?: string): Promise<Device> {
  const ownerId = userId ?? (await createTestUser()).id;
  const device = await createTestDevice(ownerId);
  return { id: device.id, userId: ownerId };
}

async function publish(device: Device, counts: { preKeys: number; pqPreKeys: number }): Promise<ClientKeys> {
  const keys = generateClientKeys(counts);
  await uploadKeys(device, keyUploadSchema.parse(keys.upload));
  return keys;
}

// New keys signed by an existing client's identity key.
function ecKey(keyId: number) {
  return { keyId, publicKey: PrivateKey.generate().getPublicKey().serialize() };
}
function signedEcKey(keys: ClientKeys, keyId: number) {
  const publicKey = PrivateKey.generate().getPublicKey().serialize();
  return { keyId, publicKey, signature: keys.identityKeyPair.privateKey.sign(publicKey) };
}
function signedKyberKey(keys: ClientKeys, keyId: number) {
  const publicKey = KEMKeyPair.generate().getPublicKey().serialize();
  return { keyId, publicKey, signature: keys.identityKeyPair.privateKey.sign(publicKey) };
}
const fullUpload = () => keyUploadSchema.parse(generateClientKeys({ preKeys: 1, pqPreKeys: 1 }).upload);
function identityOnly(keys: ClientKeys): KeyUpload {
  const { identityKey, registrationId } = keyUploadSchema.parse(keys.upload);
  return { identityKey, registrationId };
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => {
      throw new Error("expected a rejection");
    },
    (error: unknown) => error,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

async function storedRows(deviceId: string) {
  const where = { deviceId };
  return {
    identity: await prisma.identityKey.count({ where }),
    signed: await prisma.signedPreKey.count({ where }),
    preKeys: await prisma.oneTimePreKey.count({ where }),
    pqPreKeys: await prisma.kyberPreKey.count({ where }),
    lastResort: await prisma.kyberLastResortKey.count({ where }),
  };
}

const claim = (requester: Device, target: Device, deviceId: string | "*" = target.id, db = prisma) =>
  claimBundles({ requesterUserId: requester.userId, requesterDeviceId: requester.id, targetUserId: target.userId, deviceId }, db);

describe("uploadKeys", () => {
  it("stores a libsignal client's first upload and counts its one-time keys", async () => {
    const device = await newDevice();
    await publish(device, { preKeys: 5, pqPreKeys: 3 });
    expect(await countUnclaimedKeys(device.id)).toEqual({ preKeys: 5, pqPreKeys: 3 });
    expect(await storedRows(device.id)).toEqual({ identity: 1, signed: 1, preKeys: 5, pqPreKeys: 3, lastResort: 1 });
    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { action: "keys.uploaded" } });
    expect(audit).toMatchObject({ deviceId: device.id, userId: device.userId, metadata: { preKeys: 5, pqPreKeys: 3 } });
  });

  it("refuses a different identity key or registration id with 409 and changes nothing", async () => {
    const device = await newDevice();
    const keys = await publish(device, { preKeys: 2, pqPreKeys: 2 });
    const other = keyUploadSchema.parse(generateClientKeys({ preKeys: 4, pqPreKeys: 4 }).upload);

    const mismatch = await rejection(uploadKeys(device, other));
    expect(mismatch).toMatchObject({ code: "identity_key_mismatch", status: 409 });
    const renumbered = { ...identityOnly(keys), registrationId: (keys.registrationId % 16380) + 1 };
    expect(await rejection(uploadKeys(device, renumbered))).toMatchObject({ code: "registration_id_mismatch", status: 409 });
    expect(await countUnclaimedKeys(device.id)).toEqual({ preKeys: 2, pqPreKeys: 2 });
  });

  it("rejects the whole upload with 422 when one signature is bad, storing nothing", async () => {
    const device = await newDevice();
    const upload = keyUploadSchema.parse(generateClientKeys({ preKeys: 5, pqPreKeys: 5 }).upload);
    const signature = Uint8Array.from(upload.pqPreKeys![4]!.signature);
    signature[10]! ^= 0x01;
    upload.pqPreKeys![4] = { ...upload.pqPreKeys![4]!, signature };

    const error = await rejection(uploadKeys(device, upload));
    expect(error).toMatchObject({ code: "invalid_signature", status: 422 });
    expect(error.message).toContain("pqPreKeys[4]");
    expect(await storedRows(device.id)).toEqual({ identity: 0, signed: 0, preKeys: 0, pqPreKeys: 0, lastResort: 0 });
  });

  it("keeps the stored keys when a later upload has a bad signature", async () => {
    const device = await newDevice();
    const keys = await publish(device, { preKeys: 3, pqPreKeys: 3 });
    const forged = { ...signedEcKey(keys, 7), signature: PrivateKey.generate().sign(new Uint8Array([1])) };
    const upload = { ...identityOnly(keys), preKeys: [ecKey(50)], signedPreKey: forged };
    expect(await rejection(uploadKeys(device, upload))).toMatchObject({ status: 422 });
    expect(await storedRows(device.id)).toEqual({ identity: 1, signed: 1, preKeys: 3, pqPreKeys: 3, lastResort: 1 });
  });

  it("replaces unclaimed keys of a list that is present and leaves the other lists alone", async () => {
    const device = await newDevice();
    const keys = await publish(device, { preKeys: 3, pqPreKeys: 3 });
    await uploadKeys(device, { ...identityOnly(keys), preKeys: [ecKey(1), ecKey(10), ecKey(11), ecKey(12)] });
    expect(await countUnclaimedKeys(device.id)).toEqual({ preKeys: 4, pqPreKeys: 3 });
    const ids = await prisma.oneTimePreKey.findMany({ where: { deviceId: device.id }, orderBy: { keyId: "asc" } });
    expect(ids.map((key) => key.keyId)).toEqual([1, 10, 11, 12]);
    await uploadKeys(device, { ...identityOnly(keys), pqPreKeys: [] });
    expect(await countUnclaimedKeys(device.id)).toEqual({ preKeys: 4, pqPreKeys: 0 });
  });

  it("refuses with 409 a keyId that was already claimed, and rolls the whole upload back", async () => {
    const target = await newDevice();
    const requester = await newDevice();
    const keys = await publish(target, { preKeys: 3, pqPreKeys: 3 });
    const { devices } = await claim(requester, target);
    const claimedEc = devices[0]!.preKey!.keyId;
    const claimedKyber = devices[0]!.pqPreKey.keyId;

    const newSigned = signedEcKey(keys, 2);
    const reusesEc = { ...identityOnly(keys), signedPreKey: newSigned, preKeys: [ecKey(claimedEc), ecKey(20)] };
    const error = await rejection(uploadKeys(target, reusesEc));
    expect(error).toMatchObject({ code: "key_id_conflict", status: 409 });
    expect(error.message).toContain(String(claimedEc));
    // Nothing of it stayed: the old signed prekey is still current, the unclaimed keys still there.
    expect(await prisma.signedPreKey.count({ where: { deviceId: target.id, supersededAt: null, keyId: 1 } })).toBe(1);
    expect(await countUnclaimedKeys(target.id)).toEqual({ preKeys: 2, pqPreKeys: 2 });

    const reusesKyber = { ...identityOnly(keys), pqPreKeys: [signedKyberKey(keys, claimedKyber)] };
    expect(await rejection(uploadKeys(target, reusesKyber))).toMatchObject({ code: "key_id_conflict" });
  });

  it("replaces the signed prekey, marking the old one superseded; a stored keyId is a conflict", async () => {
    const device = await newDevice();
    const keys = await publish(device, { preKeys: 1, pqPreKeys: 1 });
    const current = keyUploadSchema.parse(keys.upload).signedPreKey!;

    await uploadKeys(device, { ...identityOnly(keys), signedPreKey: current });
    expect(await prisma.signedPreKey.count({ where: { deviceId: device.id } })).toBe(1);

    await uploadKeys(device, { ...identityOnly(keys), signedPreKey: signedEcKey(keys, 2) });
    const rows = await prisma.signedPreKey.findMany({ where: { deviceId: device.id }, orderBy: { keyId: "asc" } });
    expect(rows.map((row) => [row.keyId, row.supersededAt !== null])).toEqual([[1, true], [2, false]]);

    expect(await rejection(uploadKeys(device, { ...identityOnly(keys), signedPreKey: signedEcKey(keys, 1) })))
      .toMatchObject({ code: "key_id_conflict", status: 409 });
    expect(await rejection(uploadKeys(device, { ...identityOnly(keys), signedPreKey: signedEcKey(keys, 2) })))
      .toMatchObject({ code: "key_id_conflict", status: 409 });
  });

  it("keeps Kyber one-time and last-resort key ids apart", async () => {
    const device = await newDevice();
    const keys = await publish(device, { preKeys: 1, pqPreKeys: 2 });
    const lastResort = keyUploadSchema.parse(keys.upload).pqLastResortPreKey!;
    expect(lastResort.keyId).toBe(3);

    // Re-sending the same last-resort key is fine; a one-time key under its id is not.
    await uploadKeys(device, { ...identityOnly(keys), pqLastResortPreKey: lastResort });
    expect(await rejection(uploadKeys(device, { ...identityOnly(keys), pqPreKeys: [signedKyberKey(keys, 3)] })))
      .toMatchObject({ code: "key_id_conflict" });
    // A different last-resort key under a stored one-time key's id, or under its own old id.
    expect(await rejection(uploadKeys(device, { ...identityOnly(keys), pqLastResortPreKey: signedKyberKey(keys, 1) })))
      .toMatchObject({ code: "key_id_conflict" });
    expect(await rejection(uploadKeys(device, { ...identityOnly(keys), pqLastResortPreKey: signedKyberKey(keys, 3) })))
      .toMatchObject({ code: "key_id_conflict" });

    const replacement = signedKyberKey(keys, 9);
    await uploadKeys(device, { ...identityOnly(keys), pqLastResortPreKey: replacement });
    const stored = await prisma.kyberLastResortKey.findUniqueOrThrow({ where: { deviceId: device.id } });
    expect(stored.keyId).toBe(9);
  });

  it("refuses a revoked device", async () => {
    const device = await newDevice();
    await revokeDevice({ userId: device.userId, deviceId: device.id });
    const upload = keyUploadSchema.parse(generateClientKeys({ preKeys: 1, pqPreKeys: 1 }).upload);
    expect(await rejection(uploadKeys(device, upload))).toMatchObject({ status: 401 });
    expect(await storedRows(device.id)).toEqual({ identity: 0, signed: 0, preKeys: 0, pqPreKeys: 0, lastResort: 0 });
  });
});

describe("keyStatus", () => {
  it("reads the stock in the statement that charges the allowances; a refused poll charges and reads nothing", async () => {
    const device = await newDevice();
    await publish(device, { preKeys: 3, pqPreKeys: 2 });
    const allowances = [
      { key: `test:status:device:${device.id}`, limit: { burst: 2, perSeconds: 60 } },
      { key: `test:status:roomy:${device.id}`, limit: { burst: 100, perSeconds: 1 } },
    ];
    const bucket = () => prisma.rateLimitBucket.findUnique({ where: { key: allowances[1]!.key } });
    expect(await keyStatus(device.id, allowances)).toMatchObject({ preKeys: 3, pqPreKeys: 2, hasPqLastResortPreKey: true });
    await keyStatus(device.id, allowances);
    const roomyBefore = await bucket();
    const refused = await keyStatus(device.id, allowances).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(RateLimitedError);
    expect((refused as RateLimitedError).retryAfterSeconds).toBeGreaterThan(0);
    expect(await bucket()).toEqual(roomyBefore);
  });
});

describe("claimBundles", () => {
  it("claims one EC and one Kyber key per fetch, then serves the last-resort key and preKey null", async () => {
    const target = await newDevice();
    const requester = await newDevice();
    const keys = await publish(target, { preKeys: 2, pqPreKeys: 1 });
    const upload = keys.upload;

    const first = (await claim(requester, target)).devices[0]!;
    expect(first).toEqual({
      deviceId: target.id,
      registrationId: keys.registrationId,
      identityKey: upload.identityKey,
      signedPreKey: upload.signedPreKey,
      preKey: expect.objectContaining({ keyId: expect.any(Number) }),
      pqPreKey: upload.pqPreKeys![0],
      transparencyEpoch: "pending", // no epoch was published since the upload
    });
    const second = (await claim(requester, target)).devices[0]!;
    expect(second.preKey!.keyId).not.toBe(first.preKey!.keyId);
    expect(upload.preKeys).toContainEqual(second.preKey);
    expect(second.pqPreKey).toEqual(upload.pqLastResortPreKey);

    const third = (await claim(requester, target)).devices[0]!;
    expect(third.preKey).toBeNull();
    expect(third.pqPreKey).toEqual(upload.pqLastResortPreKey);
    expect(await countUnclaimedKeys(target.id)).toEqual({ preKeys: 0, pqPreKeys: 0 });
    const claimed = await prisma.oneTimePreKey.findMany({ where: { deviceId: target.id } });
    expect(claimed.every((key) => key.used && key.claimedAt)).toBe(true);
  });

  it("serves every complete, active device for *, and only those", async () => {
    const requester = await newDevice();
    const target = await newDevice();
    const second = await newDevice(target.userId);
    await publish(target, { preKeys: 1, pqPreKeys: 1 });
    await publish(second, { preKeys: 1, pqPreKeys: 1 });

    const noIdentity = await newDevice(target.userId);
    const noSignedPreKey = await newDevice(target.userId);
    await uploadKeys(noSignedPreKey, { ...fullUpload(), signedPreKey: undefined });
    const noLastResort = await newDevice(target.userId);
    await uploadKeys(noLastResort, { ...fullUpload(), pqLastResortPreKey: undefined });
    const revoked = await newDevice(target.userId);
    await publish(revoked, { preKeys: 1, pqPreKeys: 1 });
    await revokeDevice({ userId: target.userId, deviceId: revoked.id });

    const bundles = await claim(requester, target, "*");
    expect(bundles.userId).toBe(target.userId);
    expect(bundles.devices.map((device) => device.deviceId).sort()).toEqual([target.id, second.id].sort());

    for (const device of [noIdentity, noSignedPreKey, noLastResort, revoked]) {
      expect(await rejection(claim(requester, device))).toMatchObject({ code: "not_found", status: 404 });
    }
  });

  it("answers 404 for an unknown user, a device of another user, and a deactivated user", async () => {
    const requester = await newDevice();
    const target = await newDevice();
    await publish(target, { preKeys: 1, pqPreKeys: 1 });
    const stranger = await newDevice();

    const unknownUser = claimBundles({ requesterUserId: requester.userId, requesterDeviceId: requester.id, targetUserId: crypto.randomUUID(), deviceId: "*" });
    expect(await rejection(unknownUser)).toMatchObject({ status: 404 });
    const wrongOwner = claimBundles({ requesterUserId: requester.userId, requesterDeviceId: requester.id, targetUserId: stranger.userId, deviceId: target.id });
    expect(await rejection(wrongOwner)).toMatchObject({ status: 404 });
    await prisma.user.update({ where: { id: target.userId }, data: { isActive: false } });
    expect(await rejection(claim(requester, target))).toMatchObject({ status: 404 });
  });

  it("deletes a revoked device's keys", async () => {
    const target = await newDevice();
    await publish(target, { preKeys: 3, pqPreKeys: 3 });
    await revokeDevice({ userId: target.userId, deviceId: target.id });
    expect(await storedRows(target.id)).toEqual({ identity: 0, signed: 0, preKeys: 0, pqPreKeys: 0, lastResort: 0 });
  });

  it("limits claims per (requesting device, user) to a burst of 10, then 1 a minute, across instances", async () => {
    const requester = await newDevice();
    const other = await newDevice();
    const target = await newDevice();
    await publish(target, { preKeys: 1, pqPreKeys: 1 });

    const results = await Promise.allSettled(
      Array.from({ length: 16 }, (_, i) => claim(requester, target, "*", instances[i % 2]!)),
    );
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(10);
    const refused = results.flatMap((result) => (result.status === "rejected" ? [result.reason] : []));
    expect(refused).toHaveLength(6);
    for (const error of refused) {
      expect(error).toBeInstanceOf(RateLimitedError);
      expect((error as RateLimitedError).retryAfterSeconds).toBeGreaterThan(0);
      expect((error as RateLimitedError).retryAfterSeconds).toBeLessThanOrEqual(60);
    }
    // Another requesting device has its own allowance.
    await expect(claim(other, target, "*", instances[2])).resolves.toMatchObject({ userId: target.userId });
    // A minute later one more fetch is allowed, not a new burst.
    await prisma.$executeRaw`UPDATE rate_limit_buckets SET reset_at = reset_at - interval '60 seconds'`;
    await expect(claim(requester, target, "*", instances[1])).resolves.toBeDefined();
    await expect(claim(requester, target, "*", instances[2])).rejects.toBeInstanceOf(RateLimitedError);
  });

  it("limits the devices of one account together: a farm of devices cannot multiply the allowance", async () => {
    const attacker = await createTestUser();
    const farm = await Promise.all(Array.from({ length: 5 }, () => newDevice(attacker.id)));
    const target = await newDevice();
    await publish(target, { preKeys: 60, pqPreKeys: 60 });

    const results = await Promise.allSettled(farm.flatMap((device) => Array.from({ length: 10 }, () => claim(device, target))));
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(30);
    expect(await countUnclaimedKeys(target.id)).toEqual({ preKeys: 30, pqPreKeys: 30 });
    // Another account is not held back by the first one's spending.
    await expect(claim(await newDevice(), target)).resolves.toMatchObject({ userId: target.userId });
  });

  // The stock is below the per-device claim budget (ADR 0069), so the keys run out before it does.
  it("never hands out a one-time key twice under hundreds of concurrent claims from several instances", async () => {
    const target = await newDevice();
    const keys = await publish(target, { preKeys: 30, pqPreKeys: 20 });
    const requesters = await Promise.all(Array.from({ length: 30 }, () => newDevice()));

    const claims = requesters.flatMap((requester, r) =>
      Array.from({ length: 10 }, (_, i) => claim(requester, target, target.id, instances[(r + i) % instances.length]!)),
    );
    const bundles = (await Promise.all(claims)).map((response) => response.devices[0]!);
    expect(bundles).toHaveLength(300);

    const ecIds = bundles.flatMap((bundle) => (bundle.preKey ? [bundle.preKey.keyId] : []));
    expect(ecIds).toHaveLength(30);
    expect(new Set(ecIds).size).toBe(30);
    expect(bundles.filter((bundle) => bundle.preKey === null)).toHaveLength(270);

    const lastResortId = keys.upload.pqLastResortPreKey!.keyId;
    const kyberIds = bundles.map((bundle) => bundle.pqPreKey.keyId).filter((keyId) => keyId !== lastResortId);
    expect(kyberIds).toHaveLength(20);
    expect(new Set(kyberIds).size).toBe(20);
    expect(await countUnclaimedKeys(target.id)).toEqual({ preKeys: 0, pqPreKeys: 0 });
  });

  it("holds every requester together to the target device's claim budget, tells its owner once, and refills", async () => {
    const target = await newDevice();
    const keys = await publish(target, { preKeys: 60, pqPreKeys: 60 });
    const lastResortId = keys.upload.pqLastResortPreKey!.keyId;
    const requesters = await Promise.all(Array.from({ length: 12 }, () => newDevice()));
    const { burst, perSeconds } = ONE_TIME_KEY_CLAIMS_PER_DEVICE;

    const claims = requesters.flatMap((requester, r) =>
      Array.from({ length: 5 }, (_, i) => claim(requester, target, target.id, instances[(r + i) % instances.length]!)),
    );
    const bundles = (await Promise.all(claims)).map((response) => response.devices[0]!);
    expect(bundles).toHaveLength(60);
    const ecIds = bundles.flatMap((bundle) => (bundle.preKey ? [bundle.preKey.keyId] : []));
    const kyberIds = bundles.map((bundle) => bundle.pqPreKey.keyId).filter((keyId) => keyId !== lastResortId);
    expect(new Set(ecIds).size).toBe(burst);
    expect(new Set(kyberIds).size).toBe(burst);
    expect(ecIds).toHaveLength(burst);
    expect(kyberIds).toHaveLength(burst);

    const status = await keyStatus(target.id, [{ key: `test:count:${randomUUID()}`, limit: { burst: 1, perSeconds: 60 } }]);
    expect(status).toMatchObject({
      preKeys: 60 - burst,
      pqPreKeys: 60 - burst,
      claimsThrottled: true,
      preKeysClaimedLastHour: burst,
      pqPreKeysClaimedLastHour: burst,
    });

    await settleAfterAnswer();
    const owner = await prisma.user.findUniqueOrThrow({ where: { id: target.userId } });
    const notices = await prisma.outboxMessage.findMany({ where: { to: owner.email!, subject: { contains: "encryption keys" } } });
    expect(notices).toHaveLength(1);
    expect(notices[0]!.text).toContain("stopped handing them out");
    expect(await prisma.auditEvent.count({ where: { deviceId: target.id, action: "keys.claims_throttled" } })).toBe(1);

    // One step of the budget later, exactly one more one-time key is served; the owner is not mailed again.
    await prisma.$executeRaw`UPDATE rate_limit_buckets SET reset_at = reset_at - make_interval(secs => ${perSeconds}::float8)
      WHERE key LIKE 'key-claim-budget:%'`;
    const [refilled, throttled] = [await claim(requesters[0]!, target, target.id), await claim(requesters[1]!, target, target.id)];
    expect(refilled.devices[0]!.preKey).not.toBeNull();
    expect(refilled.devices[0]!.pqPreKey.keyId).not.toBe(lastResortId);
    expect(throttled.devices[0]!.preKey).toBeNull();
    expect(throttled.devices[0]!.pqPreKey.keyId).toBe(lastResortId);
    await settleAfterAnswer();
    expect(await prisma.outboxMessage.count({ where: { to: owner.email!, subject: { contains: "encryption keys" } } })).toBe(1);
  });
});

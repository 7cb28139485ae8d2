import { beforeEach, describe, expect, it } from "vitest";
import { decodeDeviceKeys, labels, verifyIdentityKey, verifySearch, type TransparencyPolicy } from "../../packages/client/src/transparency/index";
import { createTestDevice, createTestUser, resetDatabase } from "../../test/db";
import { generateClientKeys } from "../../test/keys";
import { prisma } from "../db";
import { revokeDevice } from "../devices/devices";
import { keyUploadSchema } from "../keys/formats";
import { ownAccountDeletedNotice } from "../mail/templates";
import { eraseAccount } from "../users/erase";
import { uploadKeys } from "../keys/upload";
import { transparencyKeys } from "./keys";
import { publishEpoch } from "./publish";
import { searchLabel } from "./search";

function policy(): TransparencyPolicy {
  const keys = transparencyKeys();
  return { origin: keys.origin, logVkey: keys.logVkey, vrfPublicKey: keys.vrfPublicKey, witnessVkeys: [], minWitnesses: 0, requiredCosignerVkeys: [], maxAgeSeconds: 3600 };
}

async function deviceWithKeys(userId: string) {
  const device = await createTestDevice(userId);
  const keys = generateClientKeys({ preKeys: 1, pqPreKeys: 1 });
  await uploadKeys({ id: device.id, userId }, keyUploadSchema.parse(keys.upload));
  return { id: device.id, identityKey: keys.identityKeyPair.publicKey.serialize() };
}

describe("epoch publisher", () => {
  beforeEach(resetDatabase);

  it("publishes uploads and revocations that verify end to end, consistent across epochs", async () => {
    const user = await createTestUser();
    const a = await deviceWithKeys(user.id);
    const b = await deviceWithKeys(user.id);
    // The account's keys label, and its username (test users are discoverable by username).
    expect((await publishEpoch()).versions).toBe(2);
    const first = verifyIdentityKey(policy(), null, await searchLabel(labels.deviceKeys(user.id)), { userId: user.id, deviceId: a.id, identityKey: a.identityKey });
    expect(first.devices.map((d) => d.deviceId).sort()).toEqual([a.id, b.id].sort());

    expect((await publishEpoch()).versions).toBe(0); // heartbeat
    await revokeDevice({ userId: user.id, deviceId: b.id });
    await publishEpoch();
    const answer = await searchLabel(labels.deviceKeys(user.id), first.trusted.size);
    const later = verifySearch(policy(), first.trusted, answer);
    expect(later.version).toBe(1);
    expect(decodeDeviceKeys(later.value).map((d) => d.deviceId)).toEqual([a.id]);
  });

  it("publishes a tombstone for a deleted account and erases the earlier value and opening", async () => {
    const user = await createTestUser();
    await deviceWithKeys(user.id);
    await publishEpoch();
    await prisma.$transaction((tx) => eraseAccount(tx, user, ownAccountDeletedNotice(), { action: "account.deleted" }));
    await publishEpoch();
    const answer = await searchLabel(labels.deviceKeys(user.id));
    expect(verifySearch(policy(), null, answer).value).toEqual(new Uint8Array());
    const rows = await prisma.ktLabelVersion.findMany({ where: { label: new Uint8Array(labels.deviceKeys(user.id)) }, orderBy: { version: "asc" } });
    expect(rows.map((r) => [r.version, r.value === null, r.opening === null])).toEqual([[0, true, true], [1, false, false]]);
  });

  it("two publishers racing publish one epoch each, every pending label exactly once", async () => {
    const users = await Promise.all([1, 2, 3].map(() => createTestUser()));
    await Promise.all(users.map((u) => deviceWithKeys(u.id)));
    const results = await Promise.all([publishEpoch(), publishEpoch()]);
    expect(results.map((r) => r.index).sort()).toEqual([0, 1]);
    // Each account's keys label and username label.
    expect(results.reduce((sum, r) => sum + r.versions, 0)).toBe(6);
    expect(await prisma.ktLabelVersion.count()).toBe(6);
  });

  it("a tree row changed in SQL makes the answer fail against the checkpoint", async () => {
    const user = await createTestUser();
    const a = await deviceWithKeys(user.id);
    await publishEpoch();
    await prisma.$executeRaw`UPDATE kt_prefix_nodes SET node = set_byte(node, 40, get_byte(node, 40) # 1) WHERE depth > 0`;
    await prisma.$executeRaw`UPDATE kt_prefix_nodes SET node = set_byte(node, 40, get_byte(node, 40) # 1) WHERE depth = 0 AND get_byte(node, 0) = 0`;
    const answer = await searchLabel(labels.deviceKeys(user.id));
    expect(() => verifyIdentityKey(policy(), null, answer, { userId: user.id, deviceId: a.id, identityKey: a.identityKey })).toThrow();
  });

  it("an identity key inserted directly in SQL is not in the published key set", async () => {
    const user = await createTestUser();
    const a = await deviceWithKeys(user.id);
    await publishEpoch();
    const planted = await createTestDevice(user.id);
    const identityKey = generateClientKeys({ preKeys: 0, pqPreKeys: 0 }).identityKeyPair.publicKey.serialize();
    await prisma.identityKey.create({ data: { deviceId: planted.id, publicKey: identityKey, registrationId: 7 } });
    await publishEpoch();
    const answer = await searchLabel(labels.deviceKeys(user.id));
    expect(() => verifyIdentityKey(policy(), null, answer, { userId: user.id, deviceId: planted.id, identityKey })).toThrow(/not in the published key set/);
    expect(verifyIdentityKey(policy(), null, answer, { userId: user.id, deviceId: a.id, identityKey: a.identityKey }).version).toBe(0);
  });

  it("username and phone labels follow discovery: a renamed or hidden label becomes a tombstone, a number only once verified and opted in", async () => {
    const user = await createTestUser({ username: "first_name", phoneNumber: "+14155552671", phoneVerified: false, discoverableByPhone: true });
    await publishEpoch();
    const value = async (label: Uint8Array) => {
      const rows = await prisma.ktLabelVersion.findMany({ where: { label: new Uint8Array(label) }, orderBy: { version: "asc" } });
      return rows.map((r) => (r.value === null ? "erased" : new TextDecoder().decode(r.value) || "tombstone"));
    };
    expect(await value(labels.username("first_name"))).toEqual([user.id]);
    expect(await value(labels.phone("+14155552671"))).toEqual([]); // not verified: not discoverable

    await prisma.user.update({ where: { id: user.id }, data: { username: "second_name", phoneVerified: true } });
    await publishEpoch();
    expect(await value(labels.username("first_name"))).toEqual(["erased", "tombstone"]);
    expect(await value(labels.username("second_name"))).toEqual([user.id]);
    expect(await value(labels.phone("+14155552671"))).toEqual([user.id]);

    await prisma.user.update({ where: { id: user.id }, data: { isActive: false } });
    await publishEpoch();
    expect(await value(labels.phone("+14155552671"))).toEqual(["erased", "tombstone"]);
  });
});

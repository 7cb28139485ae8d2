import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  bytesToHex,
  decodeDeviceKeys,
  labels,
  monitorAnswerFromJson,
  searchAnswerFromJson,
  utf8ToBytes,
  verifyMonitor,
  verifySearch,
  type TransparencyPolicy,
} from "../../packages/client/src/transparency/index";
import { signedInClient } from "../../test/api-fixtures";
import { startApiServer, type ApiServer } from "../../test/http-server";
import { generateClientKeys } from "../../test/keys";
import { prisma } from "../db";
import { keyUploadSchema } from "../keys/formats";
import { uploadKeys } from "../keys/upload";
import { updateDiscoverySettings } from "../settings/privacy";
import { createTestDevice } from "../../test/db";
import { keyHistory } from "./key-history";
import { queueLabels } from "./pending";
import { transparencyKeys } from "./keys";
import { publishEpoch } from "./publish";

let server: ApiServer;
beforeAll(async () => {
  server = await startApiServer();
});
afterAll(() => server.close());

async function post(token: string, body: unknown, path = "search"): Promise<Response> {
  return fetch(`${server.url}/api/kt/${path}`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: JSON.stringify(body) });
}

describe("key transparency API", () => {
  it("serves the checkpoint and a search answer that verifies; bad input is a 400", async () => {
    const client = await signedInClient(server.url);
    expect((await post(client.token, { userId: "not-a-uuid" })).status).toBe(400);
    expect((await post(client.token, { userId: client.userId, trustedSize: -1 })).status).toBe(400);
    expect((await fetch(`${server.url}/api/kt/checkpoint`)).status).toBe(404);

    await publishEpoch();
    const { checkpoint } = (await (await fetch(`${server.url}/api/kt/checkpoint`)).json()) as { checkpoint: string };
    expect(checkpoint.split("\n")[1]).toBe("1");
    // The account has no device with an identity key: its keys label is not in the log.
    expect((await post(client.token, { userId: client.userId })).status).toBe(404);

    const keys = transparencyKeys();
    const policy = { origin: keys.origin, logVkey: keys.logVkey, vrfPublicKey: keys.vrfPublicKey, witnessVkeys: [], minWitnesses: 0, requiredCosignerVkeys: [], maxAgeSeconds: 3600 };
    await uploadKeys({ id: client.deviceId, userId: client.userId }, keyUploadSchema.parse(generateClientKeys({ preKeys: 1, pqPreKeys: 1 }).upload));
    await publishEpoch();
    const answer = searchAnswerFromJson(await (await post(client.token, { userId: client.userId, trustedSize: 1 })).json());
    const first = await prisma.ktEpoch.findUniqueOrThrow({ where: { index: 0 } });
    const verified = verifySearch(policy, { size: 1, rootHash: new Uint8Array(Buffer.from(first.checkpoint.split("\n")[2]!, "base64")) }, answer);
    expect(decodeDeviceKeys(verified.value).map((d) => d.deviceId)).toEqual([client.deviceId]);
  });
});

function policy(): TransparencyPolicy {
  const keys = transparencyKeys();
  return { origin: keys.origin, logVkey: keys.logVkey, vrfPublicKey: keys.vrfPublicKey, witnessVkeys: [], minWitnesses: 0, requiredCosignerVkeys: [], maxAgeSeconds: 3600 };
}

async function addKeys(client: { deviceId: string; userId: string }): Promise<void> {
  await uploadKeys({ id: client.deviceId, userId: client.userId }, keyUploadSchema.parse(generateClientKeys({ preKeys: 1, pqPreKeys: 1 }).upload));
}

const deviceIds = (value: Uint8Array) => decodeDeviceKeys(value).map((d) => d.deviceId);

describe("searching by version and label, and monitoring", () => {
  it("proves an earlier version and its successors; the owner monitors its own label, nobody else's", async () => {
    const alice = await signedInClient(server.url);
    await addKeys(alice);
    await publishEpoch();
    const second = await signedInClient(server.url, alice.userId);
    await addKeys(second);
    await publishEpoch();

    const response = await post(alice.token, { userId: alice.userId, version: 0 });
    const answer = monitorAnswerFromJson(await response.json());
    const verified = verifyMonitor(policy(), null, answer, null);
    expect(verified.history.map((v) => [v.version, deviceIds(v.value).length])).toEqual([[0, 1], [1, 2]]);
    expect(deviceIds(verified.history[0]!.value)).toEqual([alice.deviceId]);
    expect((await post(alice.token, { userId: alice.userId, version: 3 })).status).toBe(404);

    // Monitoring from the version Alice already saw: only the newer one, with the epoch it appeared in.
    const monitored = verifyMonitor(policy(), null, monitorAnswerFromJson(await (await post(alice.token, { userId: alice.userId, since: 0 }, "monitor")).json()), 0);
    expect(monitored.history.map((v) => [v.version, v.epoch])).toEqual([[1, (await prisma.ktEpoch.count()) - 1]]);

    const bob = await signedInClient(server.url);
    const foreign = await post(bob.token, { userId: alice.userId }, "monitor");
    expect(foreign.status).toBe(403);
    expect(await foreign.json()).toMatchObject({ error: { code: "not_your_label" } });
    for (const bad of [{ userId: bob.userId, since: -1 }, { userId: bob.userId, kind: "email" }, {}]) expect((await post(bob.token, bad, "monitor")).status).toBe(400);
    for (const bad of [{}, { userId: bob.userId, username: "bob_x" }, { username: "x" }, { phoneNumber: "12" }, { userId: bob.userId, version: -1 }]) {
      const refused = await post(bob.token, bad);
      expect(refused.status, JSON.stringify(bad)).toBe(400);
      expect(await refused.json()).toMatchObject({ error: { code: "invalid_request" } });
    }
  });

  it("a username search is a username lookup: charged to that budget and refused once discovery is off", async () => {
    const alice = await signedInClient(server.url);
    const { username } = await prisma.user.update({ where: { id: alice.userId }, data: { username: `alice_${alice.userId.slice(0, 6)}` } });
    await publishEpoch();
    const bob = await signedInClient(server.url);
    const answer = searchAnswerFromJson(await (await post(bob.token, { username: username!.toUpperCase() })).json());
    expect(bytesToHex(answer.label)).toBe(bytesToHex(labels.username(username!)));
    const found = verifySearch(policy(), null, answer);
    expect(found.value).toEqual(utf8ToBytes(alice.userId));
    expect(await prisma.rateLimitBucket.count({ where: { key: `api:findUserByUsername:account:${bob.userId}` } })).toBe(1);

    await updateDiscoverySettings({ userId: alice.userId, deviceId: alice.deviceId }, { discoverableByUsername: false, discoverableByPhone: false });
    await publishEpoch();
    expect((await post(bob.token, { username })).status).toBe(404);
    expect((await post(bob.token, { username: "nobody_has_this" })).status).toBe(404);
  });

  it("every key answer says which epoch holds the identity key it serves, or that it is pending", async () => {
    const alice = await signedInClient(server.url);
    const bob = await signedInClient(server.url);
    const epochOf = async () => {
      const response = await fetch(`${server.url}/api/keys/${alice.userId}/*`, { headers: { authorization: `Bearer ${bob.token}` } });
      return ((await response.json()) as { devices: { transparencyEpoch?: unknown }[] }).devices.map((d) => d.transparencyEpoch);
    };
    await addKeys(alice);
    expect(await epochOf()).toEqual(["pending"]);
    const { index } = await publishEpoch();
    await publishEpoch();
    expect(await epochOf()).toEqual([index]);
  });

  it("an identity key planted in SQL is flagged to the owner within one epoch, on the page's history and by POST /api/kt/monitor", async () => {
    const alice = await signedInClient(server.url);
    await addKeys(alice);
    await publishEpoch();
    // The intruder writes a device and its key, and queues the label so that clients verify it.
    const planted = await createTestDevice(alice.userId);
    const identityKey = generateClientKeys({ preKeys: 0, pqPreKeys: 0 }).identityKeyPair.publicKey.serialize();
    await prisma.$executeRaw`INSERT INTO identity_keys (device_id, public_key, registration_id) VALUES (${planted.id}::uuid, ${identityKey}, 7)`;
    await prisma.$transaction((tx) => queueLabels(tx, [labels.deviceKeys(alice.userId)]));
    const { index } = await publishEpoch();

    const { versions } = await keyHistory(alice.userId);
    expect(versions.map((v) => [v.version, v.added, v.unexplained])).toEqual([
      [0, [alice.deviceId], []],
      [1, [planted.id], [planted.id]],
    ]);
    const body = (await (await post(alice.token, { userId: alice.userId, since: 0 }, "monitor")).json()) as { unexplainedDevices: unknown };
    expect(body.unexplainedDevices).toEqual([{ version: 1, epoch: index, deviceId: planted.id }]);
    expect(verifyMonitor(policy(), null, monitorAnswerFromJson(body), 0).history.map((v) => deviceIds(v.value).includes(planted.id))).toEqual([true]);
  });
});

// Issue 22, item 8, through the production server: several accounts, each with two devices and
// within every per-requester limit, fetch one person's bundle over and over. Before ADR 0069 they
// took all of the victim's one-time keys in under a second; now every requester together gets at
// most the device's claim budget, the victim's client sees it in GET /api/keys/count, the victim
// gets one security notice, and a bundle served past the budget still builds a libsignal session.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CiphertextMessageType,
  PreKeySignalMessage,
  ProtocolAddress,
  processPreKeyBundle,
  signalDecryptPreKey,
  signalEncrypt,
} from "@signalapp/libsignal-client";
import { ONE_TIME_KEY_CLAIMS_PER_DEVICE } from "../../lib/limits";
import type { DeviceKeyBundle, KeyBundleResponse, KeyStatusResponse } from "../../packages/client/src/types";
import { generateClientKeys, InMemorySignalStore, preKeyBundleFrom } from "../keys";
import { startSmtpCapture } from "../smtp";
import { systemFixtures } from "./fixtures";
import { startApp, startSystemDatabase, type AppInstance, type SystemDatabase } from "./stack";

let database: SystemDatabase;
let smtp: Awaited<ReturnType<typeof startSmtpCapture>>;
let app: AppInstance;
let fixtures: Awaited<ReturnType<typeof systemFixtures>>;

beforeAll(async () => {
  [database, smtp] = await Promise.all([startSystemDatabase(), startSmtpCapture()]);
  fixtures = await systemFixtures(database.url);
  app = await startApp({ databaseUrl: database.url, env: { SMTP_URL: smtp.url } });
});

afterAll(async () => {
  await app?.stop();
  await Promise.all([smtp?.close(), fixtures?.close()]);
  await database?.close();
});

async function get<T>(path: string, authorization: string): Promise<T> {
  const response = await fetch(`${app.url}${path}`, { headers: { authorization } });
  expect(response.status).toBe(200);
  return (await response.json()) as T;
}

describe("a victim's one-time keys", () => {
  it("cannot be drained by many accounts together: past the budget they get the last-resort key, and the victim is told", async () => {
    const victim = await fixtures.client();
    const victimKeys = generateClientKeys({ preKeys: 100, pqPreKeys: 100 });
    const upload = await fetch(`${app.url}/api/keys`, {
      method: "PUT",
      headers: { authorization: victim.authorization, "content-type": "application/json" },
      body: JSON.stringify(victimKeys.upload),
    });
    expect(upload.status).toBe(204);
    const lastResortId = victimKeys.upload.pqLastResortPreKey!.keyId;

    // Six accounts with two devices each, ten fetches per device: every per-requester limit allows all 120.
    const attackers = await Promise.all(
      Array.from({ length: 6 }, async () => {
        const first = await fixtures.client();
        return [first, await fixtures.client(first.userId)];
      }),
    );
    const fetchVictim = (attacker: { authorization: string }) => get<KeyBundleResponse>(`/api/keys/${victim.userId}/*`, attacker.authorization);
    const bundles = (await Promise.all(attackers.flat().flatMap((device) => Array.from({ length: 10 }, () => fetchVictim(device))))).map(
      (answer) => answer.devices[0]!,
    );
    expect(bundles).toHaveLength(120);

    const { burst } = ONE_TIME_KEY_CLAIMS_PER_DEVICE;
    const ecIds = bundles.flatMap((bundle) => (bundle.preKey ? [bundle.preKey.keyId] : []));
    const kyberIds = bundles.map((bundle) => bundle.pqPreKey.keyId).filter((keyId) => keyId !== lastResortId);
    // At most one more unit of the budget can refill while the fetches run (one every 90 s).
    expect(ecIds.length).toBeGreaterThanOrEqual(burst);
    expect(ecIds.length).toBeLessThanOrEqual(burst + 1);
    expect(new Set(ecIds).size).toBe(ecIds.length);
    expect(kyberIds).toHaveLength(ecIds.length);

    const status = await get<KeyStatusResponse>("/api/keys/count", victim.authorization);
    expect(status).toMatchObject({
      claimsThrottled: true,
      preKeysClaimedLastHour: ecIds.length,
      pqPreKeysClaimedLastHour: ecIds.length,
      preKeys: 100 - ecIds.length,
      pqPreKeys: 100 - ecIds.length,
    });

    const victimUser = await fixtures.prisma.user.findUniqueOrThrow({ where: { id: victim.userId } });
    const notice = await smtp.waitForMail(victimUser.email!, (mail) => mail.subject.includes("encryption keys"));
    expect(notice.text).toContain("System test client");

    // A newcomer's fetch past the budget still starts a conversation the victim can read.
    const newcomer = await fixtures.client();
    const [throttled] = (await fetchVictim(newcomer)).devices as [DeviceKeyBundle];
    expect(throttled.preKey).toBeNull();
    expect(throttled.pqPreKey.keyId).toBe(lastResortId);
    const victimAddress = ProtocolAddress.new(victim.userId, 1);
    const newcomerAddress = ProtocolAddress.new(newcomer.userId, 1);
    const newcomerStore = new InMemorySignalStore(generateClientKeys({ preKeys: 0, pqPreKeys: 0 }));
    await processPreKeyBundle(preKeyBundleFrom(throttled, 1), victimAddress, newcomerAddress, newcomerStore, newcomerStore);
    const sent = await signalEncrypt(new TextEncoder().encode("hello"), victimAddress, newcomerAddress, newcomerStore, newcomerStore);
    expect(sent.type()).toBe(CiphertextMessageType.PreKey);
    const victimStore = new InMemorySignalStore(victimKeys);
    const plaintext = await signalDecryptPreKey(
      PreKeySignalMessage.deserialize(sent.serialize()),
      newcomerAddress,
      victimAddress,
      victimStore,
      victimStore,
      victimStore,
      victimStore,
      victimStore,
    );
    expect(new TextDecoder().decode(plaintext)).toBe("hello");
  });
});

// Issue 10, items 6 and 10, through the production server: what a hostile messaging client or a
// distributed SMS pumper can do once signed in or anonymous. Bearer routes have limits per device,
// per account and a claim budget across all targets (ADR 0041); texts go only to allowed countries and stop
// at the hourly budget, which the admin dashboard shows. (The same rules in-process: lib/api/api.test.ts,
// lib/sms/gate.test.ts.)
// Issue 22, item 8: several accounts, each with two devices and within every per-requester limit,
// fetch one person's bundle over and over. Before ADR 0069 they took all of the victim's one-time
// keys in under a second; now every requester together gets at most the device's claim budget,
// the victim's client sees it in GET /api/keys/count, the victim gets one security notice, and a
// bundle served past the budget still builds a libsignal session.
// Issue 22, codes: a stranger at another address asks for and guesses at alice's codes; before ADR
// 0080 that kept alice from a code (the cooldown and the lock were per address); now it does not.
import { readFileSync } from "node:fs";
import http from "node:http";
import path from "node:path";
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
import { hashPassword } from "../../lib/auth/password";
import type { DeviceKeyBundle, KeyBundleResponse, KeyStatusResponse } from "../../packages/client/src/types";
import { startSmtpCapture } from "../smtp";
import { startTwilioCapture, twilioSettings } from "../sms-capture";
import { generateClientKeys, InMemorySignalStore, preKeyBundleFrom } from "../keys";
import { systemFixtures } from "./fixtures";
import { startApp, startSystemDatabase, type AppInstance, type SystemDatabase } from "./stack";

const HOURLY_SMS_BUDGET = 3;

let database: SystemDatabase;
let smtp: Awaited<ReturnType<typeof startSmtpCapture>>;
let sms: Awaited<ReturnType<typeof startTwilioCapture>>;
let app: AppInstance;
let fixtures: Awaited<ReturnType<typeof systemFixtures>>;

beforeAll(async () => {
  [database, smtp, sms] = await Promise.all([startSystemDatabase(), startSmtpCapture(), startTwilioCapture()]);
  fixtures = await systemFixtures(database.url);
  app = await startApp({
    databaseUrl: database.url,
    env: {
      SMTP_URL: smtp.url,
      ...twilioSettings(sms.url),
      SMS_ALLOWED_COUNTRIES: "US,CA",
      SMS_HOURLY_BUDGET: String(HOURLY_SMS_BUDGET),
      // The texts case is about the whole budget (the per-country share is tested in lib/sms/shares.test.ts).
      SMS_COUNTRY_HOURLY_BUDGET: String(HOURLY_SMS_BUDGET),
    },
  });
});

afterAll(async () => {
  await app?.stop();
  await Promise.all([smtp?.close(), sms?.close(), fixtures?.close()]);
  await database?.close();
});

async function call(path: string, init: { method?: string; body?: unknown; authorization?: string; cookie?: string } = {}) {
  const response = await fetch(`${app.url}${path}`, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers: {
      "content-type": "application/json",
      ...(init.authorization ? { authorization: init.authorization } : {}),
      ...(init.cookie ? { cookie: init.cookie } : {}),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await response.text();
  return { status: response.status, retryAfter: response.headers.get("retry-after"), body: text ? JSON.parse(text) : null };
}

const errorCode = (answer: { body: { error?: { code?: string } } | null }) => answer.body?.error?.code;

describe("bearer routes", () => {
  it("refuse a sixth key upload from one device within the window, and it stores and audits nothing", async () => {
    const phone = await fixtures.client();
    const keys = generateClientKeys({ preKeys: 1, pqPreKeys: 1 });
    const identityOnly = { identityKey: keys.upload.identityKey, registrationId: keys.registrationId };
    for (let upload = 0; upload < 5; upload += 1) {
      expect((await call("/api/keys", { method: "PUT", body: identityOnly, authorization: phone.authorization })).status).toBe(204);
    }
    const refused = await call("/api/keys", { method: "PUT", body: keys.upload, authorization: phone.authorization });
    expect(refused.status).toBe(429);
    expect(errorCode(refused)).toBe("rate_limited");
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    expect(await fixtures.prisma.oneTimePreKey.count({ where: { deviceId: phone.deviceId } })).toBe(0);
    expect(await fixtures.prisma.auditEvent.count({ where: { deviceId: phone.deviceId, action: "keys.uploaded" } })).toBe(5);
  });

  it("give each device 100 bundle fetches across all targets and the account 200: probing random ids stops there, and refusals write no rows", async () => {
    const prober = await fixtures.client();
    const probe = (client: { authorization: string }) => call(`/api/keys/${crypto.randomUUID()}/*`, { authorization: client.authorization });
    const hundredProbes = async (client: { authorization: string }) => {
      const statuses: number[] = [];
      for (let batch = 0; batch < 10; batch += 1) statuses.push(...(await Promise.all(Array.from({ length: 10 }, async () => (await probe(client)).status))));
      return statuses;
    };
    expect(await hundredProbes(prober)).toEqual(Array(100).fill(404));
    const refused = await probe(prober);
    expect(refused.status).toBe(429);
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);

    // A second device of the account gets its own 100, and then the account's 200 are spent.
    expect(await hundredProbes(await fixtures.client(prober.userId))).toEqual(Array(100).fill(404));
    const third = await fixtures.client(prober.userId);
    const buckets = await fixtures.prisma.rateLimitBucket.count();
    const refusals = await Promise.all(Array.from({ length: 20 }, () => probe(third)));
    expect(refusals.map((answer) => answer.status)).toEqual(Array(20).fill(429));
    expect(await fixtures.prisma.rateLimitBucket.count()).toBe(buckets);
  });
});

describe("texts", () => {
  it("go only to allowed countries, stop at the hourly budget for every number, and the dashboard says so", async () => {
    const uk = await call("/api/auth/code", { body: { phoneNumber: "+447911123456" } });
    expect(uk.status).toBe(400);
    expect(errorCode(uk)).toBe("sms_country_not_allowed");

    // A pumper spreads over numbers; the budget is one for the whole service.
    const numbers = ["+16502530001", "+16502530002", "+16502530003", "+16502530004", "+14165550199"];
    const answers = [];
    for (const phoneNumber of numbers) answers.push(await call("/api/auth/code", { body: { phoneNumber } }));
    expect(answers.slice(0, HOURLY_SMS_BUDGET).map((answer) => answer.status)).toEqual(Array(HOURLY_SMS_BUDGET).fill(202));
    for (const paused of answers.slice(HOURLY_SMS_BUDGET)) {
      expect(paused.status).toBe(503);
      expect(errorCode(paused)).toBe("sms_paused");
    }
    await expect.poll(() => sms.received.length).toBe(HOURLY_SMS_BUDGET);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(sms.received.map((text) => text.form.get("To"))).toEqual(numbers.slice(0, HOURLY_SMS_BUDGET));

    const admin = await fixtures.createTestUser({ role: "ADMIN" });
    const { cookie } = await fixtures.browser(app.url, admin.id);
    const metrics = await call("/api/admin/metrics", { cookie });
    expect(metrics.status).toBe(200);
    expect(metrics.body.sms).toEqual({ sentLastHour: HOURLY_SMS_BUDGET, hourlyBudget: HOURLY_SMS_BUDGET, paused: true });
  });
});

/**
 * A JSON POST whose socket comes from `localAddress` (127.0.0.x): the server counts it against that
 * client address, as it would a stranger's elsewhere; no header can claim one (ADR 0009).
 */
function postFrom(localAddress: string, path: string, body: unknown): Promise<{ status: number; body: { error?: { code?: string; details?: Record<string, unknown> } } | null }> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: "127.0.0.1", port: app.port, localAddress, path, method: "POST", headers: { "content-type": "application/json", "content-length": Buffer.byteLength(payload) } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => {
          const text = Buffer.concat(chunks).toString();
          resolve({ status: response.statusCode!, body: text ? JSON.parse(text) : null });
        });
      },
    );
    request.on("error", reject);
    request.end(payload);
  });
}

describe("someone else's codes", () => {
  it("a stranger at another address cannot stop alice from receiving and using a code", async () => {
    const ALICE = "alice.codes@example.test";
    const [home, ...strangers] = ["127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.4"];
    await fixtures.createTestUser({ email: ALICE, password: await hashPassword("a long passphrase of alice") });
    // Alice has signed in from home before (by password, over the API).
    const earlier = await postFrom(home!, "/api/auth/token", { email: ALICE, password: "a long passphrase of alice", deviceName: "Alice's phone" });
    expect(earlier.status).toBe(201);

    // Code mails only (a new-device notice follows her sign-in too): "123456 is your Latchkey code".
    const codeMailsToAlice = () => smtp.messages.filter((mail) => mail.to.includes(ALICE) && mail.subject.endsWith("is your Latchkey code"));
    const newestCode = () => codeMailsToAlice().at(-1)!.subject.slice(0, 6);
    // A stranger asks for a code for alice, then guesses: its own guesses run out, and two strangers'
    // failures lock the address for a third.
    expect((await postFrom(strangers[0]!, "/api/auth/code", { email: ALICE })).status).toBe(202);
    await expect.poll(() => codeMailsToAlice().length, { timeout: 15_000 }).toBe(1);
    const wrong = newestCode() === "000000" ? "000001" : "000000";
    const guessesBy = async (stranger: string) => {
      const statuses = [];
      for (let guess = 0; guess < 5; guess += 1) {
        statuses.push((await postFrom(stranger, "/api/auth/token", { email: ALICE, code: wrong, deviceName: "Stranger" })).status);
      }
      return statuses;
    };
    expect(await guessesBy(strangers[0]!)).toEqual([400, 400, 400, 400, 400]);
    // The tenth failure at the address locks it for strangers, this one included.
    expect(await guessesBy(strangers[1]!)).toEqual([400, 400, 400, 400, 429]);
    const third = await postFrom(strangers[2]!, "/api/auth/token", { email: ALICE, code: wrong, deviceName: "Stranger" });
    expect(third.status).toBe(429);

    // Alice asks for her own code moments later, receives it and signs in with it.
    expect((await postFrom(home!, "/api/auth/code", { email: ALICE })).status).toBe(202);
    await expect.poll(() => codeMailsToAlice().length, { timeout: 15_000 }).toBe(2);
    const signedIn = await postFrom(home!, "/api/auth/token", { email: ALICE, code: newestCode(), deviceName: "Alice's laptop" });
    expect(signedIn.status).toBe(201);
  });
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

describe("the onboarding form's username check", () => {
  /** The id of the build's checkUsernameAction: server actions are POSTs with a Next-Action header. */
  function checkUsernameActionId(): string {
    const manifest = JSON.parse(readFileSync(path.join(process.cwd(), ".next/server/server-reference-manifest.json"), "utf8")) as {
      node: Record<string, { exportedName?: string }>;
    };
    return Object.entries(manifest.node).find(([, entry]) => entry.exportedName === "checkUsernameAction")![0];
  }

  it("reveals an opted-out username only within the account's username-lookup budget, shared with the API", async () => {
    const hidden = await fixtures.createTestUser({ discoverableByUsername: false });
    const prober = await fixtures.createTestUser({ isProfileComplete: false, username: null });
    const { cookie } = await fixtures.browser(app.url, prober.id);
    const actionId = checkUsernameActionId();
    const check = async (username: string) => {
      const response = await fetch(`${app.url}/onboarding`, {
        method: "POST",
        headers: { "next-action": actionId, "content-type": "text/plain;charset=UTF-8", accept: "text/x-component", cookie },
        body: JSON.stringify([{ username }]),
      });
      expect(response.status).toBe(200);
      return response.text();
    };

    // "Taken" is the truth about a username nobody can look up: the budget is what bounds it.
    expect(await check(hidden.username!)).toContain('"available":false');
    for (let batch = 0; batch < 9; batch += 1) {
      await Promise.all(Array.from({ length: 11 }, (_, i) => check(`free_${batch}_${i}_${prober.id.slice(0, 8)}`)));
    }
    const refused = await check(hidden.username!);
    expect(refused).toContain('"ok":false');
    expect(refused).not.toContain('"available"');
    expect(Number(/"retryAfterSeconds":(\d+)/.exec(refused)?.[1])).toBeGreaterThan(0);

    // The same account's messaging client finds its lookups spent too.
    const client = await fixtures.client(prober.id);
    const lookup = await call(`/api/users/by-username/${hidden.username}`, { authorization: client.authorization });
    expect(lookup.status).toBe(429);
    expect(Number(lookup.retryAfter)).toBeGreaterThan(0);
  });
});

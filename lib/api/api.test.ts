import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { startSmtpCapture } from "../../test/smtp";
import { resetDatabase, createTestUser } from "../../test/db";
import { signedInClient } from "../../test/api-fixtures";

// The messaging-client API over real HTTP: the typed client talks to the app's route handlers on
// a loopback server, which use this file's PostgreSQL database. Every status code of the contract.

const smtp = await startSmtpCapture();
process.env.SMTP_URL = smtp.url; // before anything reads env()
const { startApiServer } = await import("../../test/http-server");
const { ApiError, createLatchkeyClient } = await import("../../packages/client/src/index");
const { prisma } = await import("../db");
const { hashPassword } = await import("../auth/password");
const { generateClientKeys } = await import("../../test/keys");
const { MAX_BODY_BYTES } = await import("./route");
const { createSession, redeemSignInTicket } = await import("../auth/sessions");
const { findOrCreateBrowserDevice } = await import("../devices/devices");

const server = await startApiServer();
afterAll(async () => {
  await server.close();
  await smtp.close();
});
beforeEach(async () => {
  await resetDatabase();
  smtp.messages.length = 0;
});

const anonymous = () => createLatchkeyClient({ baseUrl: server.url });

async function apiError(promise: Promise<unknown>): Promise<InstanceType<typeof ApiError>> {
  const error = await promise.then(
    () => {
      throw new Error("expected the API to refuse");
    },
    (error: unknown) => error,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as InstanceType<typeof ApiError>;
}

/** A raw request, for what the typed client would never send. */
async function raw(path: string, init: RequestInit = {}) {
  const response = await fetch(`${server.url}${path}`, init);
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as { error: { code: string; message: string } }) : null };
}

async function codeFor(email: string): Promise<string> {
  const mail = await smtp.waitForMail(email);
  return /\b(\d{6})\b/.exec(mail.text)![1]!;
}

describe("sign-in for messaging clients", () => {
  it("mails a code to a new address and exchanges it for an account, a device and a token (202, 201)", async () => {
    await expect(anonymous().requestCode({ email: "New.Person@Example.test" })).resolves.toBeUndefined();
    const code = await codeFor("new.person@example.test");

    const issued = await anonymous().exchangeCode({ email: "new.person@example.test", code, deviceName: "Ada's phone" });
    expect(issued).toEqual({ userId: expect.any(String), deviceId: expect.any(String), token: expect.any(String), expiresAt: expect.any(String) });
    expect(new Date(issued.expiresAt).getTime()).toBeGreaterThan(Date.now() + 80 * 86_400_000);

    const user = await prisma.user.findUniqueOrThrow({ where: { id: issued.userId } });
    expect(user).toMatchObject({ email: "new.person@example.test", emailVerified: true, isProfileComplete: false });
    const session = await prisma.session.findFirstOrThrow({ where: { deviceId: issued.deviceId } });
    expect(session.tokenHash).not.toContain(issued.token);

    const { devices } = await createLatchkeyClient({ baseUrl: server.url, token: issued.token }).listDevices();
    expect(devices).toEqual([expect.objectContaining({ deviceId: issued.deviceId, name: "Ada's phone", kind: "CLIENT", current: true, registrationId: null })]);
    const actions = (await prisma.auditEvent.findMany({ where: { deviceId: issued.deviceId } })).map((event) => event.action);
    expect(actions).toEqual(expect.arrayContaining(["user.signed_in", "device.created"]));
  });

  it("answers a code request the same way whether or not the account exists", async () => {
    const existing = await createTestUser();
    const known = await raw("/api/auth/code", { method: "POST", body: JSON.stringify({ email: existing.email }) });
    const unknown = await raw("/api/auth/code", { method: "POST", body: JSON.stringify({ email: "nobody@example.test" }) });
    // Every header but Date (the two answers may straddle a second).
    const comparable = (answer: typeof known) => ({ ...answer, headers: [...answer.headers].filter(([name]) => name !== "date") });
    expect(comparable(known)).toEqual(comparable(unknown));
    expect(known.status).toBe(202);
    await smtp.waitForMail(existing.email!);
    await smtp.waitForMail("nobody@example.test");
  });

  it("gives every sign-in its own device, and tells a returning user of the new one", async () => {
    const user = await createTestUser({ password: await hashPassword("correct horse battery") });
    await anonymous().requestCode({ email: user.email! });
    const first = await anonymous().exchangeCode({ email: user.email!, code: await codeFor(user.email!), deviceName: "Laptop" });
    const second = await anonymous().exchangePassword({ email: user.email!, password: "correct horse battery", deviceName: "Tablet" });
    expect(second.deviceId).not.toBe(first.deviceId);
    const notice = await smtp.waitForMail(user.email!, (mail) => mail.subject.includes("New sign-in"));
    expect(notice.text).toContain("Tablet");
    expect(smtp.messages.filter((mail) => mail.subject.includes("New sign-in"))).toHaveLength(1);
  });

  it("refuses a wrong code with 400 invalid_code, and a reused one", async () => {
    const user = await createTestUser();
    await anonymous().requestCode({ email: user.email! });
    const code = await codeFor(user.email!);
    const wrong = code === "000000" ? "111111" : "000000";
    const refused = await apiError(anonymous().exchangeCode({ email: user.email!, code: wrong, deviceName: "Phone" }));
    expect(refused).toMatchObject({ status: 400, code: "invalid_code" });
    await anonymous().exchangeCode({ email: user.email!, code, deviceName: "Phone" });
    expect(await apiError(anonymous().exchangeCode({ email: user.email!, code, deviceName: "Phone" }))).toMatchObject({ status: 400, code: "invalid_code" });
    expect(await prisma.device.count({ where: { userId: user.id } })).toBe(1);
  });

  it("exchanges a password (201), refuses a wrong one (401 invalid_credentials)", async () => {
    const user = await createTestUser({ password: await hashPassword("correct horse battery") });
    const issued = await anonymous().exchangePassword({ email: user.email!, password: "correct horse battery", deviceName: "CLI" });
    expect(issued.userId).toBe(user.id);
    const refused = await apiError(anonymous().exchangePassword({ email: user.email!, password: "wrong password!", deviceName: "CLI" }));
    expect(refused).toMatchObject({ status: 401, code: "invalid_credentials" });
  });

  it("answers 400 with a readable message for malformed JSON and invalid bodies", async () => {
    const post = (body: string) => raw("/api/auth/token", { method: "POST", body, headers: { "content-type": "application/json" } });
    expect(await post("{not json")).toMatchObject({ status: 400, body: { error: { code: "invalid_json", message: expect.any(String) } } });
    const badEmail = await post(JSON.stringify({ email: "nope", code: "123456", deviceName: "x" }));
    expect(badEmail).toMatchObject({ status: 400, body: { error: { code: "invalid_request" } } });
    expect(badEmail.body!.error.message).toMatch(/^email: /);
    const both = await post(JSON.stringify({ email: "a@example.test", code: "123456", password: "secret12", deviceName: "x" }));
    expect(both.body!.error.message).toContain("exactly one");
    const missingName = await post(JSON.stringify({ email: "a@example.test", code: "123456" }));
    expect(missingName.body!.error.message).toMatch(/^deviceName: /);
  });

  it("revokes the calling token (204); it is then refused with 401", async () => {
    const client = await signedInClient(server.url);
    await client.api.revokeToken();
    const refused = await apiError(client.api.listDevices());
    expect(refused).toMatchObject({ status: 401, code: "unauthorized" });
    expect(await prisma.device.count({ where: { id: client.deviceId, revoked: false } })).toBe(1);
  });

  it("limits the public routes per IP address, whatever X-Forwarded-For claims (429 + Retry-After)", async () => {
    // All at once, so the allowance does not refill in between on a slow machine.
    const responses = await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        raw("/api/auth/token", {
          method: "POST",
          headers: { "x-forwarded-for": `203.0.113.${i}` },
          body: JSON.stringify({ email: `x${i}@example.test`, password: "whatever1", deviceName: "x" }),
        }),
      ),
    );
    const statuses = responses.map((response) => response.status);
    const limited = responses.find((response) => response.status === 429);
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThanOrEqual(5);
    expect(limited!.body!.error.code).toBe("rate_limited");
    expect(Number(limited!.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});

describe("bearer authentication", () => {
  it("answers 401 without a token, with a malformed, unknown or expired one, and for a revoked device", async () => {
    const noToken = await raw("/api/keys/count");
    expect(noToken).toMatchObject({ status: 401, body: { error: { code: "unauthorized" } } });
    expect(noToken.headers.get("www-authenticate")).toBe("Bearer");
    expect((await raw("/api/keys/count", { headers: { authorization: "Basic abc" } })).status).toBe(401);
    expect((await raw("/api/keys/count", { headers: { authorization: "Bearer not-a-real-token" } })).status).toBe(401);

    const expired = await signedInClient(server.url);
    await prisma.session.updateMany({ where: { deviceId: expired.deviceId }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await apiError(expired.api.countKeys())).toMatchObject({ status: 401 });

    const revoked = await signedInClient(server.url);
    await prisma.device.update({ where: { id: revoked.deviceId }, data: { revoked: true } });
    expect(await apiError(revoked.api.countKeys())).toMatchObject({ status: 401 });
  });

  it("answers 401 for a browser's sign-in ticket, redeemed or not: only client sessions are bearer tokens (ADR 0015)", async () => {
    const user = await createTestUser();
    const ticket = await prisma.$transaction(async (tx) => {
      const browser = await findOrCreateBrowserDevice(tx, { userId: user.id });
      return (await createSession(tx, { userId: user.id, deviceId: browser.deviceId, kind: "BROWSER" })).token;
    });
    const asBearer = () => raw("/api/devices", { headers: { authorization: `Bearer ${ticket}` } });
    expect(await asBearer()).toMatchObject({ status: 401, body: { error: { code: "unauthorized" } } });
    expect(await redeemSignInTicket(ticket)).not.toBeNull();
    expect((await asBearer()).status).toBe(401);
  });
});

describe("the key directory over HTTP", () => {
  it("tells a device the age of its signed prekey and whether it has a Kyber last-resort key", async () => {
    const alice = await signedInClient(server.url);
    expect(await alice.api.countKeys()).toEqual({
      preKeys: 0,
      pqPreKeys: 0,
      signedPreKeyAgeSeconds: null,
      hasPqLastResortPreKey: false,
      pqLastResortPreKeyAgeSeconds: null,
      // Nobody has claimed this device's one-time keys, so its claim budget is untouched (ADR 0069).
      claimsThrottled: false,
      preKeysClaimedLastHour: 0,
      pqPreKeysClaimedLastHour: 0,
    });
    await alice.api.uploadKeys(generateClientKeys({ preKeys: 1, pqPreKeys: 0 }).upload);
    // Pretend the upload was three days ago.
    await prisma.signedPreKey.updateMany({ where: { deviceId: alice.deviceId }, data: { createdAt: new Date(Date.now() - 3 * 86_400_000) } });
    const status = await alice.api.countKeys();
    expect(status).toMatchObject({ preKeys: 1, pqPreKeys: 0, hasPqLastResortPreKey: true });
    const ages = status as typeof status & { signedPreKeyAgeSeconds: number; pqLastResortPreKeyAgeSeconds: number };
    expect(ages.signedPreKeyAgeSeconds).toBeGreaterThanOrEqual(3 * 86_400);
    expect(ages.signedPreKeyAgeSeconds).toBeLessThan(3 * 86_400 + 600);
    expect(ages.pqLastResortPreKeyAgeSeconds).toBeGreaterThanOrEqual(0);
    expect(ages.pqLastResortPreKeyAgeSeconds).toBeLessThan(600);
  });

  it("stores an upload (204), counts it (200) and serves it to another user (200)", async () => {
    const alice = await signedInClient(server.url);
    const bob = await signedInClient(server.url);
    const keys = generateClientKeys({ preKeys: 3, pqPreKeys: 2 });
    await alice.api.uploadKeys(keys.upload);
    expect(await alice.api.countKeys()).toMatchObject({ preKeys: 3, pqPreKeys: 2 });

    const bundles = await bob.api.fetchBundles(alice.userId, "*");
    expect(bundles).toEqual({
      userId: alice.userId,
      devices: [
        {
          deviceId: alice.deviceId,
          registrationId: keys.registrationId,
          identityKey: keys.upload.identityKey,
          signedPreKey: keys.upload.signedPreKey,
          preKey: expect.objectContaining({ keyId: expect.any(Number) }),
          pqPreKey: expect.objectContaining({ keyId: expect.any(Number) }),
          transparencyEpoch: "pending",
        },
      ],
    });
    expect(await alice.api.countKeys()).toMatchObject({ preKeys: 2, pqPreKeys: 1 });
    const { devices } = await alice.api.listDevices();
    expect(devices[0]!.registrationId).toBe(keys.registrationId);
  });

  it("answers 400 for wrong lengths, type bytes and ids, 413 for long lists or bodies", async () => {
    const alice = await signedInClient(server.url);
    const keys = generateClientKeys({ preKeys: 1, pqPreKeys: 1 });
    const shortKey = { ...keys.upload, identityKey: keys.upload.identityKey.slice(0, 40) };
    const wrongType = { ...keys.upload, identityKey: Buffer.from([0x06, ...Buffer.from(keys.upload.identityKey, "base64").subarray(1)]).toString("base64") };
    const badId = { ...keys.upload, preKeys: [{ ...keys.upload.preKeys![0]!, keyId: 2 ** 24 }] };
    for (const body of [shortKey, wrongType, badId]) {
      const refused = await apiError(alice.api.uploadKeys(body));
      expect(refused).toMatchObject({ status: 400, code: "invalid_request" });
    }
    expect((await apiError(alice.api.uploadKeys(wrongType))).message).toContain("identityKey");

    const many = generateClientKeys({ preKeys: 101, pqPreKeys: 1 });
    const tooMany = await apiError(alice.api.uploadKeys(many.upload));
    expect(tooMany).toMatchObject({ status: 413, code: "too_many_keys" });
    expect(tooMany.message).toContain("preKeys");

    const huge = await raw("/api/keys", {
      method: "PUT",
      headers: { authorization: `Bearer ${alice.token}` },
      body: JSON.stringify({ padding: "x".repeat(MAX_BODY_BYTES) }),
    });
    expect(huge).toMatchObject({ status: 413, body: { error: { code: "payload_too_large" } } });
    expect(await alice.api.countKeys()).toMatchObject({ preKeys: 0, pqPreKeys: 0 });
  });

  it("answers 422 for a bad signature and 409 for another identity key or a reused keyId", async () => {
    const alice = await signedInClient(server.url);
    const bob = await signedInClient(server.url);
    const keys = generateClientKeys({ preKeys: 2, pqPreKeys: 2 });
    const signature = Buffer.from(keys.upload.pqLastResortPreKey!.signature, "base64");
    signature[5]! ^= 0x40;
    const forged = { ...keys.upload, pqLastResortPreKey: { ...keys.upload.pqLastResortPreKey!, signature: signature.toString("base64") } };
    expect(await apiError(alice.api.uploadKeys(forged))).toMatchObject({ status: 422, code: "invalid_signature" });
    expect(await alice.api.countKeys()).toMatchObject({ preKeys: 0, pqPreKeys: 0 });

    await alice.api.uploadKeys(keys.upload);
    const other = generateClientKeys({ preKeys: 1, pqPreKeys: 1 });
    expect(await apiError(alice.api.uploadKeys(other.upload))).toMatchObject({ status: 409, code: "identity_key_mismatch" });

    const claimed = (await bob.api.fetchBundles(alice.userId, alice.deviceId)).devices[0]!.preKey!;
    const reuse = { identityKey: keys.upload.identityKey, registrationId: keys.registrationId, preKeys: [claimed] };
    const conflict = await apiError(alice.api.uploadKeys(reuse));
    expect(conflict).toMatchObject({ status: 409, code: "key_id_conflict" });
    expect(conflict.message).toContain(String(claimed.keyId));
  });

  it("answers 404 for an unknown user or device, a malformed id, and a device without keys", async () => {
    const alice = await signedInClient(server.url);
    const bob = await signedInClient(server.url);
    expect(await apiError(bob.api.fetchBundles(crypto.randomUUID(), "*"))).toMatchObject({ status: 404, code: "not_found" });
    expect(await apiError(bob.api.fetchBundles("not-a-uuid", "*"))).toMatchObject({ status: 404 });
    expect(await apiError(bob.api.fetchBundles(alice.userId, "*"))).toMatchObject({ status: 404 });
    await alice.api.uploadKeys(generateClientKeys({ preKeys: 1, pqPreKeys: 1 }).upload);
    expect(await apiError(bob.api.fetchBundles(alice.userId, crypto.randomUUID()))).toMatchObject({ status: 404 });
    expect(await apiError(bob.api.fetchBundles(alice.userId, bob.deviceId))).toMatchObject({ status: 404 });
  });

  it("limits fetches per (device, user): 10, then 429 with Retry-After", async () => {
    const alice = await signedInClient(server.url);
    const bob = await signedInClient(server.url);
    await alice.api.uploadKeys(generateClientKeys({ preKeys: 1, pqPreKeys: 1 }).upload);
    for (let i = 0; i < 10; i++) await bob.api.fetchBundles(alice.userId);
    const limited = await apiError(bob.api.fetchBundles(alice.userId));
    expect(limited).toMatchObject({ status: 429, code: "rate_limited" });
    expect(limited.retryAfter).toBeGreaterThan(0);
    expect(limited.retryAfter).toBeLessThanOrEqual(60);
    // Another letter case of the same id is the same target (PostgreSQL matches uuids in any case):
    // it lifted the limit once, each spelling counting as a user of its own.
    const shouted = alice.userId.toUpperCase();
    expect(await apiError(bob.api.fetchBundles(shouted))).toMatchObject({ status: 429, code: "rate_limited" });
    const carol = await signedInClient(server.url);
    await expect(carol.api.fetchBundles(shouted)).resolves.toMatchObject({ userId: alice.userId });
  });

  it("serves distinct one-time keys to a hundred concurrent HTTP fetches", async () => {
    const alice = await signedInClient(server.url);
    const keys = generateClientKeys({ preKeys: 30, pqPreKeys: 20 });
    await alice.api.uploadKeys(keys.upload);
    const requesters = await Promise.all(Array.from({ length: 10 }, () => signedInClient(server.url)));
    const responses = await Promise.all(
      requesters.flatMap((requester) => Array.from({ length: 10 }, () => requester.api.fetchBundles(alice.userId, alice.deviceId))),
    );
    const bundles = responses.map((response) => response.devices[0]!);
    const ecIds = bundles.flatMap((bundle) => (bundle.preKey ? [bundle.preKey.keyId] : []));
    expect(new Set(ecIds).size).toBe(30);
    expect(ecIds).toHaveLength(30);
    const lastResort = keys.upload.pqLastResortPreKey!.keyId;
    const kyberIds = bundles.map((bundle) => bundle.pqPreKey.keyId).filter((keyId) => keyId !== lastResort);
    expect(new Set(kyberIds).size).toBe(20);
    expect(kyberIds).toHaveLength(20);
  });
});

describe("limits on bearer routes (per device, per account, claim budget)", () => {
  const asClient = (client: { token: string }, path: string, init: RequestInit = {}) =>
    raw(path, { ...init, headers: { authorization: `Bearer ${client.token}`, ...init.headers } });
  const statusesOf = async (count: number, call: () => Promise<{ status: number }>) => {
    const statuses: number[] = [];
    for (let done = 0; done < count; done += 10) {
      statuses.push(...(await Promise.all(Array.from({ length: Math.min(10, count - done) }, async () => (await call()).status))));
    }
    return statuses;
  };

  it("limits a cheap route per device: 60, then 429 with Retry-After", async () => {
    const alice = await signedInClient(server.url);
    expect(await statusesOf(60, () => asClient(alice, "/api/keys/count"))).toEqual(Array(60).fill(200));
    const limited = await asClient(alice, "/api/keys/count");
    expect(limited).toMatchObject({ status: 429, body: { error: { code: "rate_limited" } } });
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    const otherDevice = await signedInClient(server.url, alice.userId);
    expect((await asClient(otherDevice, "/api/keys/count")).status).toBe(200);
  });

  it("limits key uploads tightly: 5 per device, 10 per account; a refused upload stores and audits nothing", async () => {
    const phone = await signedInClient(server.url);
    const keys = generateClientKeys({ preKeys: 1, pqPreKeys: 1 });
    const identityOnly = JSON.stringify({ identityKey: keys.upload.identityKey, registrationId: keys.registrationId });
    const upload = (client: { token: string }, body = identityOnly) => asClient(client, "/api/keys", { method: "PUT", body });
    expect(await statusesOf(5, () => upload(phone))).toEqual(Array(5).fill(204));
    const limited = await upload(phone, JSON.stringify(keys.upload));
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(Number(limited.headers.get("retry-after"))).toBeLessThanOrEqual(600);
    expect(await prisma.auditEvent.count({ where: { deviceId: phone.deviceId, action: "keys.uploaded" } })).toBe(5);
    expect(await phone.api.countKeys()).toMatchObject({ preKeys: 0, pqPreKeys: 0 });

    const tablet = await signedInClient(server.url, phone.userId);
    const laptop = await signedInClient(server.url, phone.userId);
    const tabletKeys = generateClientKeys({ preKeys: 1, pqPreKeys: 1 });
    const tabletBody = JSON.stringify({ identityKey: tabletKeys.upload.identityKey, registrationId: tabletKeys.registrationId });
    expect(await statusesOf(5, () => upload(tablet, tabletBody))).toEqual(Array(5).fill(204));
    expect((await upload(laptop, JSON.stringify(generateClientKeys({ preKeys: 1, pqPreKeys: 1 }).upload))).status).toBe(429);
  });

  it("gives each account a budget of fetches across all users, and refused fetches create no rate-limit rows", async () => {
    const [first, second, third] = await (async () => {
      const owner = await signedInClient(server.url);
      return [owner, await signedInClient(server.url, owner.userId), await signedInClient(server.url, owner.userId)];
    })();
    const probe = (client: { token: string }) => asClient(client, `/api/keys/${crypto.randomUUID()}/*`);
    expect(await statusesOf(100, () => probe(first!))).toEqual(Array(100).fill(404));
    expect((await probe(first!)).status).toBe(429);
    expect(await statusesOf(100, () => probe(second!))).toEqual(Array(100).fill(404));

    const rows = await prisma.rateLimitBucket.count();
    const refused = await statusesOf(30, () => probe(third!));
    expect(refused).toEqual(Array(30).fill(429));
    expect(await prisma.rateLimitBucket.count()).toBe(rows);
  });
});

describe("devices", () => {
  it("revokes one of the caller's devices (204): its token stops working and its keys are gone", async () => {
    const phone = await signedInClient(server.url);
    const laptop = await signedInClient(server.url, phone.userId);
    const bob = await signedInClient(server.url);
    await laptop.api.uploadKeys(generateClientKeys({ preKeys: 2, pqPreKeys: 2 }).upload);
    expect((await phone.api.listDevices()).devices).toHaveLength(2);

    await phone.api.revokeDevice(laptop.deviceId);
    expect(await apiError(laptop.api.countKeys())).toMatchObject({ status: 401 });
    expect(await apiError(bob.api.fetchBundles(phone.userId, laptop.deviceId))).toMatchObject({ status: 404 });
    expect(await prisma.oneTimePreKey.count({ where: { deviceId: laptop.deviceId } })).toBe(0);
    expect(await prisma.identityKey.count({ where: { deviceId: laptop.deviceId } })).toBe(0);
    expect((await phone.api.listDevices()).devices.map((device) => device.deviceId)).toEqual([phone.deviceId]);
  });

  it("answers 404 for a device that is not the caller's, or not a device id at all", async () => {
    const alice = await signedInClient(server.url);
    const bob = await signedInClient(server.url);
    expect(await apiError(alice.api.revokeDevice(bob.deviceId))).toMatchObject({ status: 404, code: "not_found" });
    expect(await apiError(alice.api.revokeDevice("123"))).toMatchObject({ status: 404 });
    await expect(bob.api.countKeys()).resolves.toMatchObject({ preKeys: 0, pqPreKeys: 0 });
  });
});

describe("deleting the account", () => {
  it("takes a fresh code for the account's own address (wrong: 400, nothing deleted), then answers 204; every token and key is gone", async () => {
    const phone = await signedInClient(server.url);
    const laptop = await signedInClient(server.url, phone.userId);
    const bob = await signedInClient(server.url);
    await laptop.api.uploadKeys(generateClientKeys({ preKeys: 2, pqPreKeys: 2 }).upload);
    const { email } = await prisma.user.findUniqueOrThrow({ where: { id: phone.userId } });

    await anonymous().requestCode({ email: email! });
    const code = await codeFor(email!);
    expect(await apiError(phone.api.deleteAccount(code === "000000" ? "111111" : "000000"))).toMatchObject({ status: 400, code: "invalid_code" });
    expect(await apiError(phone.api.deleteAccount("12345"))).toMatchObject({ status: 400, code: "invalid_request" });
    expect(await prisma.user.count({ where: { id: phone.userId } })).toBe(1);

    await expect(phone.api.deleteAccount(code)).resolves.toBeUndefined();
    expect(await apiError(phone.api.listDevices())).toMatchObject({ status: 401 });
    expect(await apiError(laptop.api.countKeys())).toMatchObject({ status: 401 });
    expect(await apiError(bob.api.fetchBundles(phone.userId))).toMatchObject({ status: 404 });
    expect(await prisma.user.count({ where: { id: phone.userId } })).toBe(0);
    const notice = await smtp.waitForMail(email!, (mail) => mail.subject === "Your Latchkey account was deleted");
    expect(notice.text).toContain("You deleted your Latchkey account");
  });
});

// Issue 10, items 6 and 10, through the production server: what a hostile messaging client or a
// distributed SMS pumper can do once signed in or anonymous. Bearer routes have limits per device,
// per account and a claim budget across all targets (ADR 0041); texts go only to allowed countries and stop
// at the hourly budget, which the admin dashboard shows. (The same rules in-process: lib/api/api.test.ts,
// lib/sms/gate.test.ts.)
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSmtpCapture } from "../smtp";
import { startTwilioCapture, twilioSettings } from "../sms-capture";
import { generateClientKeys } from "../keys";
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
    env: { SMTP_URL: smtp.url, ...twilioSettings(sms.url), SMS_ALLOWED_COUNTRIES: "US,CA", SMS_HOURLY_BUDGET: String(HOURLY_SMS_BUDGET) },
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

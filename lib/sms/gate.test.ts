// SMS pumping (ADR 0027): texts go only to allowed countries, and an hourly budget shared by every
// instance pauses code texts once spent. Through the real flows, against PostgreSQL.
process.env.SMS_ALLOWED_COUNTRIES = "us, de"; // before anything reads env()
process.env.SMS_HOURLY_BUDGET = "3";
process.env.SMS_COUNTRY_HOURLY_BUDGET = "3"; // this file tests the whole budget; shares.test.ts the shares below it

import { beforeEach, describe, expect, it } from "vitest";
import { settleAfterAnswer } from "../after-answer";
import { prisma } from "../db";
import { createTestUser, resetDatabase } from "../../test/db";
import { signIn } from "../../test/settings-support";
import { getAdminMetrics } from "../admin/metrics";
import { requestCodeSignIn } from "../accounts/code-sign-in";
import { resendSignUpCode, signUp } from "../accounts/sign-up";
import { parseEnv } from "../env";
import { notifyAccountHolder } from "../users/notify";
import { passwordChangedNotice } from "../mail/templates";
import { requestPhoneChange } from "../settings/phone-change";
import { SMS_PAUSED_MESSAGE, smsBudgetStatus } from "./gate";

beforeEach(resetDatabase);

const context = (n: number) => ({ ip: `192.0.2.${n}`, userAgent: "test" });
const US = ["+14155552671", "+12025550143", "+13125550199", "+16175550123"];
const UK = "+442071838750";
const TAKEN = "+12125550111";
// +1 876 is Jamaica: the shared +1 code must not let a Caribbean premium number through as "US".
const JAMAICA = "+18765550100";

const sms = (destination: string) => ({ channel: "SMS" as const, destination });

async function nothingWritten() {
  expect(await prisma.outboxMessage.count()).toBe(0);
  expect(await prisma.oneTimeCode.count()).toBe(0);
}

describe("SMS_ALLOWED_COUNTRIES", () => {
  it("is validated at start-up: ISO 3166-1 alpha-2 codes only", () => {
    expect(parseEnv({ SMS_ALLOWED_COUNTRIES: "us, DE" }).SMS_ALLOWED_COUNTRIES).toEqual(["US", "DE"]);
    expect(parseEnv({}).SMS_ALLOWED_COUNTRIES).toEqual([]);
    expect(() => parseEnv({ SMS_ALLOWED_COUNTRIES: "US,XX" })).toThrow(/SMS_ALLOWED_COUNTRIES/);
    expect(() => parseEnv({ SMS_HOURLY_BUDGET: "0" })).toThrow(/SMS_HOURLY_BUDGET/);
  });

  it("refuses sign-up by phone to another country with a field error, and stores nothing", async () => {
    for (const number of [UK, JAMAICA]) {
      await expect(signUp({ browserKey: "test-browser", contact: sms(number) }, context(1))).rejects.toMatchObject({
        code: "sms_country_not_allowed",
        status: 400,
        details: { field: "phone" },
      });
    }
    expect(await prisma.user.count()).toBe(0);
    await nothingWritten();
  });

  it("answers code sign-in and sign-up resend alike whether or not an account has the number", async () => {
    await createTestUser({ phoneNumber: UK, phoneVerified: true });
    const unknown = "+447700900123";
    for (const number of [UK, unknown]) {
      const signInError = await requestCodeSignIn(sms(number), context(2)).catch((error: unknown) => error);
      const resendError = await resendSignUpCode(sms(number), context(2)).catch((error: unknown) => error);
      for (const error of [signInError, resendError]) {
        expect(error).toMatchObject({ code: "sms_country_not_allowed", status: 400, details: { field: "contact" } });
      }
    }
    await nothingWritten();
  });

  it("refuses a phone change to a number of another country", async () => {
    const user = await createTestUser();
    const { session } = await signIn(user.id);
    await expect(requestPhoneChange(session, UK)).rejects.toMatchObject({ code: "sms_country_not_allowed", details: { field: "phone" } });
    await nothingWritten();
  });

  it("lets allowed countries through", async () => {
    await signUp({ browserKey: "test-browser", contact: sms("+4915123456789") }, context(3));
    await settleAfterAnswer(); // the text follows the answer
    expect(await prisma.outboxMessage.count({ where: { channel: "SMS" } })).toBe(1);
  });
});

describe("SMS_HOURLY_BUDGET", () => {
  it("pauses code texts once spent, on every path, without writing anything, and alerts the dashboard", async () => {
    await createTestUser({ phoneNumber: US[0], phoneVerified: true });
    // Three texts fill the budget of 3: an existing account's sign-up notice, a sign-up, a sign-in code.
    await signUp({ browserKey: "test-browser", contact: sms(US[0]!) }, context(10));
    await signUp({ browserKey: "test-browser", contact: sms(US[1]!) }, context(11));
    expect(await smsBudgetStatus()).toEqual({ sentLastHour: 2, hourlyBudget: 3, paused: false });
    await requestCodeSignIn(sms(US[2]!), context(12));
    expect(await smsBudgetStatus()).toEqual({ sentLastHour: 3, hourlyBudget: 3, paused: true });
    await settleAfterAnswer(); // the sign-up texts are queued after their answers: count them in before
    const before = { users: await prisma.user.count(), outbox: await prisma.outboxMessage.count(), codes: await prisma.oneTimeCode.count() };

    const user = await createTestUser();
    const { session } = await signIn(user.id);
    await createTestUser({ phoneNumber: TAKEN, phoneVerified: true });
    const attempts = [
      () => signUp({ browserKey: "test-browser", contact: sms(US[3]!) }, context(13)),
      () => signUp({ browserKey: "test-browser", contact: sms(TAKEN) }, context(14)), // the same answer for a number with an account
      () => requestCodeSignIn(sms("+12125550112"), context(15)),
      () => requestCodeSignIn(sms("+12125550113"), context(16)),
      () => requestPhoneChange(session, "+12125550114"),
    ];
    for (const attempt of attempts) {
      await expect(attempt()).rejects.toMatchObject({ code: "sms_paused", status: 503, message: SMS_PAUSED_MESSAGE });
    }
    expect(await prisma.user.count()).toBe(before.users + 2);
    expect(await prisma.outboxMessage.count()).toBe(before.outbox);
    expect(await prisma.oneTimeCode.count()).toBe(before.codes);

    // Email is unaffected, and the admin dashboard's figures say texts are paused.
    await signUp({ browserKey: "test-browser", contact: { channel: "EMAIL", destination: "still-works@example.test" } }, context(17));
    await settleAfterAnswer();
    expect(await prisma.outboxMessage.count({ where: { channel: "EMAIL" } })).toBe(1);
    expect((await getAdminMetrics()).sms).toEqual({ sentLastHour: 3, hourlyBudget: 3, paused: true });
  });

  it("still tells an account holder of a change by text while paused (counted, never refused)", async () => {
    for (const [i, number] of US.slice(0, 3).entries()) await requestCodeSignIn(sms(number), context(20 + i));
    const owner = await createTestUser({ email: null, phoneNumber: US[3], phoneVerified: true });
    await prisma.$transaction((tx) => notifyAccountHolder(tx, owner, passwordChangedNotice("changed")));
    expect(await prisma.outboxMessage.count({ where: { to: US[3] } })).toBe(1);
    expect((await smsBudgetStatus()).sentLastHour).toBe(4);
  });

  it("holds across concurrent requests: never more texts than the budget", async () => {
    const numbers = Array.from({ length: 8 }, (_, i) => `+1415555${String(2600 + i)}`);
    const results = await Promise.allSettled(numbers.map((number, i) => requestCodeSignIn(sms(number), context(30 + i))));
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(3);
    expect(await prisma.outboxMessage.count({ where: { channel: "SMS" } })).toBe(3);
  });
});

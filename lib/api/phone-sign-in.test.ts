import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { createTestUser, resetDatabase } from "../../test/db";
import { startTwilioCapture, twilioSettings } from "../../test/sms-capture";

// Issue 13: a messaging client signs in with a phone number, by a texted code, under the same
// rules as the browser's phone sign-in. Texts go to a local server shaped like Twilio's API.

const twilio = await startTwilioCapture();
// env() is read once per process: the provider and the country allow-list are set before anything reads it.
Object.assign(process.env, { ...twilioSettings(twilio.url), SMS_ALLOWED_COUNTRIES: "US,GB" });
const { startApiServer } = await import("../../test/http-server");
const { prisma } = await import("../db");
const { settleOutboxDeliveries } = await import("../mail/outbox");

const server = await startApiServer();
afterAll(async () => {
  await server.close();
  await twilio.close();
});
beforeEach(async () => {
  await resetDatabase();
  twilio.received.length = 0;
});

async function post(path: string, body: unknown) {
  const response = await fetch(`${server.url}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json().catch(() => null)) as Record<string, unknown> | null };
}

async function textedCode(phoneNumber: string): Promise<string> {
  await settleOutboxDeliveries();
  const sms = twilio.received.find((received) => received.form.get("To") === phoneNumber);
  expect(sms, `a text to ${phoneNumber}`).toBeDefined();
  return /\b(\d{6})\b/.exec(sms!.form.get("Body")!)![1]!;
}

describe("phone sign-in for messaging clients", () => {
  it("texts a code to a new number and exchanges it for an account (phone verified), a device and a token", async () => {
    expect(await post("/api/auth/code", { phoneNumber: "+1 (415) 555-2671" })).toEqual({ status: 202, body: null });
    const code = await textedCode("+14155552671");
    const issued = await post("/api/auth/token", { phoneNumber: "+14155552671", code, deviceName: "Ada's phone" });
    expect(issued).toMatchObject({ status: 201, body: { userId: expect.any(String), deviceId: expect.any(String), token: expect.any(String) } });
    const user = await prisma.user.findUniqueOrThrow({ where: { id: issued.body!.userId as string } });
    expect(user).toMatchObject({ phoneNumber: "+14155552671", phoneVerified: true, email: null, isProfileComplete: false });
    const actions = (await prisma.auditEvent.findMany({ where: { userId: user.id } })).map((event) => event.action);
    expect(actions).toEqual(expect.arrayContaining(["user.signed_up", "user.signed_in", "device.created"]));
  });

  it("signs an existing account in by its number, and refuses a wrong code with 400 invalid_code", async () => {
    const existing = await createTestUser({ phoneNumber: "+447400123456", phoneVerified: true });
    expect(await post("/api/auth/code", { phoneNumber: "+447400123456" })).toEqual({ status: 202, body: null });
    const code = await textedCode("+447400123456");
    const wrong = code === "000000" ? "111111" : "000000";
    expect(await post("/api/auth/token", { phoneNumber: "+447400123456", code: wrong, deviceName: "Phone" })).toMatchObject({
      status: 400,
      body: { error: { code: "invalid_code" } },
    });
    const issued = await post("/api/auth/token", { phoneNumber: "+447400123456", code, deviceName: "Phone" });
    expect(issued).toMatchObject({ status: 201, body: { userId: existing.id } });
  });

  it("refuses a number in a country outside the allow-list, and sends nothing", async () => {
    const refused = await post("/api/auth/code", { phoneNumber: "+33612345678" });
    expect(refused).toMatchObject({ status: 400, body: { error: { code: "sms_country_not_allowed" } } });
    await settleOutboxDeliveries();
    expect(twilio.received).toHaveLength(0);
    expect(await prisma.oneTimeCode.count()).toBe(0);
  });

  it("answers 400 for both or neither contact, a number that is not E.164, and a password with a number", async () => {
    for (const body of [{}, { email: "a@example.test", phoneNumber: "+14155552671" }, { phoneNumber: "4155552671" }, { phoneNumber: "+1 nope" }]) {
      expect(await post("/api/auth/code", body)).toMatchObject({ status: 400, body: { error: { code: "invalid_request" } } });
    }
    const withPassword = await post("/api/auth/token", { phoneNumber: "+14155552671", password: "correct horse battery", deviceName: "Phone" });
    expect(withPassword).toMatchObject({ status: 400, body: { error: { code: "invalid_request" } } });
    expect((withPassword.body!.error as { message: string }).message).toContain("texted code");
    expect(await prisma.oneTimeCode.count()).toBe(0);
  });
});

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { prisma } from "../db";
import { createTestUser, resetDatabase } from "../../test/db";
import { cancelPhoneChange, confirmPhoneChange, pendingPhoneOf, requestPhoneChange } from "./phone-change";
import { ageSignIn, clearInjectedFailures, codeIn, injectConcurrentClaim, injectFailure, lastMessageTo, signIn } from "../../test/settings-support";

beforeEach(resetDatabase);
afterEach(clearInjectedFailures);

const OLD = "+14155552671";
const NEW = "+442071838750";

async function account() {
  const user = await createTestUser({ phoneNumber: OLD, phoneVerified: true });
  const { session } = await signIn(user.id, "BROWSER");
  return { user, session };
}

const phoneOf = async (id: string) => (await prisma.user.findUniqueOrThrow({ where: { id } })).phoneNumber;

async function requestAndReadCode(session: Parameters<typeof requestPhoneChange>[0], phone = NEW) {
  await requestPhoneChange(session, phone);
  return codeIn((await lastMessageTo(phone))!.text);
}

describe("phone change", () => {
  it("needs a recent sign-in", async () => {
    const { session } = await account();
    await expect(requestPhoneChange(await ageSignIn(session.id, 11), NEW)).rejects.toMatchObject({ code: "reauthentication_required" });
    expect(await prisma.outboxMessage.count()).toBe(0);
  });

  it("texts a code to the new number and changes the number with it; the account is told by mail", async () => {
    const { user, session } = await account();
    const code = await requestAndReadCode(session);
    expect((await lastMessageTo(NEW))!.channel).toBe("SMS");
    expect(await pendingPhoneOf(user.id)).toBe(NEW);
    expect(await phoneOf(user.id)).toBe(OLD);

    expect(await confirmPhoneChange(session, code)).toEqual({ phoneNumber: NEW });
    expect(await prisma.user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({ phoneNumber: NEW, phoneVerified: true });
    expect(await pendingPhoneOf(user.id)).toBeNull();
    expect(await prisma.auditEvent.count({ where: { userId: user.id, action: "user.phone_changed" } })).toBe(1);
    expect((await lastMessageTo(user.email!))!.subject).toBe("Your Latchkey phone number was changed");
  });

  it("answers a taken number exactly as a free one, and the change cannot complete onto it", async () => {
    await createTestUser({ phoneNumber: "+14155550100" });
    const first = await account();
    const second = await createTestUser();
    const { session: secondSession } = await signIn(second.id);

    const free = await requestPhoneChange(first.session, "+14155550199");
    const taken = await requestPhoneChange(secondSession, "+14155550100");
    expect(Object.keys(taken)).toEqual(Object.keys(free));
    const shape = async (to: string) => (await prisma.outboxMessage.findMany({ where: { to } })).map((message) => message.channel);
    expect(await shape("+14155550100")).toEqual(await shape("+14155550199"));
    expect(await shape("+14155550100")).toEqual(["SMS"]);
    expect((await lastMessageTo("+14155550100"))!.text).not.toMatch(/\b\d{6}\b/);
    await expect(confirmPhoneChange(secondSession, "123456")).rejects.toMatchObject({ code: "invalid_code" });
    expect(await phoneOf(second.id)).toBeNull();
  });

  it("never completes onto a number taken concurrently (unique constraint), leaving the account as it was", async () => {
    const { user, session } = await account();
    const code = await requestAndReadCode(session);
    await injectConcurrentClaim("phone_number");
    await expect(confirmPhoneChange(session, code)).rejects.toMatchObject({ code: "phone_unavailable", status: 409 });
    await clearInjectedFailures();
    expect(await phoneOf(user.id)).toBe(OLD);
    expect(await prisma.auditEvent.count()).toBe(0);
  });

  it("is one transaction: a failure half-way keeps the old number", async () => {
    const { user, session } = await account();
    const code = await requestAndReadCode(session);
    await injectFailure("outbox_messages", "INSERT");
    await expect(confirmPhoneChange(session, code)).rejects.toThrow();
    await clearInjectedFailures();
    expect(await phoneOf(user.id)).toBe(OLD);
    expect(await prisma.auditEvent.count()).toBe(0);
  });

  it("is one transaction to the end: a failure at the audit event keeps the old number and sends no notice", async () => {
    const { user, session } = await account();
    const code = await requestAndReadCode(session);
    await injectFailure("audit_events", "INSERT");
    await expect(confirmPhoneChange(session, code)).rejects.toThrow();
    await clearInjectedFailures();
    expect(await phoneOf(user.id)).toBe(OLD);
    expect(await pendingPhoneOf(user.id)).toBe(NEW);
    expect(await lastMessageTo(user.email!)).toBeNull();
  });

  it("only the newest requested number can complete; cancelling ends the wait", async () => {
    const { user, session } = await account();
    const firstCode = await requestAndReadCode(session, "+14155550111");
    await requestAndReadCode(session, NEW);
    expect(await pendingPhoneOf(user.id)).toBe(NEW);
    await expect(confirmPhoneChange(session, firstCode)).rejects.toMatchObject({ code: "invalid_code" });
    await cancelPhoneChange(session, { ip: "203.0.113.7" });
    expect(await pendingPhoneOf(user.id)).toBeNull();
    expect(await prisma.auditEvent.findMany({ where: { action: "user.phone_change_cancelled" } })).toMatchObject([
      { userId: user.id, deviceId: session.deviceId, ip: "203.0.113.7", metadata: { to: NEW } },
    ]);
    await cancelPhoneChange(session); // nothing waits any more: nothing to record
    expect(await prisma.auditEvent.count({ where: { action: "user.phone_change_cancelled" } })).toBe(1);
    await expect(confirmPhoneChange(session, firstCode)).rejects.toMatchObject({ code: "no_pending_change" });
    expect(await phoneOf(user.id)).toBe(OLD);
  });

  it("a code from someone else's request for the same number does not change this account", async () => {
    const { user, session } = await account();
    const other = await createTestUser();
    const { session: otherSession } = await signIn(other.id);
    await requestPhoneChange(session, NEW);
    await prisma.rateLimitHit.deleteMany(); // skip the 60-second resend cooldown of that number
    const othersCode = await requestAndReadCode(otherSession, NEW);

    await expect(confirmPhoneChange(session, othersCode)).rejects.toMatchObject({ status: 400 });
    expect(await phoneOf(user.id)).toBe(OLD);
    expect(await confirmPhoneChange(otherSession, othersCode)).toEqual({ phoneNumber: NEW });
  });
});

describe("a sign-up nobody confirmed owns nothing (ADR 0075)", () => {
  it("a phone change texts the real code to a number held by an unconfirmed sign-up, and takes it", async () => {
    const { user, session } = await account();
    const squatter = await createTestUser({ email: null, phoneNumber: NEW, emailVerified: false, phoneVerified: false });
    expect(await confirmPhoneChange(session, await requestAndReadCode(session))).toEqual({ phoneNumber: NEW });
    expect(await phoneOf(user.id)).toBe(NEW);
    expect(await prisma.user.findUnique({ where: { id: squatter.id } })).toBeNull();
  });
});

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { prisma } from "../db";
import { findLiveSessionById, authenticateBearerToken } from "../auth/sessions";
import { hashPassword, verifyPassword } from "../auth/password";
import { createTestUser, resetDatabase } from "../../test/db";
import { changePassword } from "./password";
import { ageSignIn, clearInjectedFailures, injectFailure, signIn } from "../../test/settings-support";

beforeEach(resetDatabase);
afterEach(clearInjectedFailures);

const OLD = "correct horse battery";
const NEW = "a new and long passphrase";

async function accountWithPassword() {
  const user = await createTestUser({ password: await hashPassword(OLD) });
  const here = await signIn(user.id, "BROWSER");
  const elsewhere = await signIn(user.id, "CLIENT");
  return { user, here, elsewhere };
}

async function storedHash(userId: string) {
  return (await prisma.user.findUniqueOrThrow({ where: { id: userId } })).password!;
}

describe("changing the password", () => {
  it("needs the current password; ends every other session; keeps this one; audits; mails a notice", async () => {
    const { user, here, elsewhere } = await accountWithPassword();
    expect(await changePassword(here.session, { currentPassword: OLD, newPassword: NEW })).toEqual({ kind: "changed", sessionsEnded: 1 });

    expect((await verifyPassword(await storedHash(user.id), NEW)).ok).toBe(true);
    expect(await findLiveSessionById(here.session.id)).not.toBeNull();
    expect(await authenticateBearerToken(elsewhere.token)).toBeNull();
    expect(await prisma.auditEvent.count({ where: { userId: user.id, action: "user.password_changed" } })).toBe(1);
    const mails = await prisma.outboxMessage.findMany({ where: { to: user.email! } });
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe("Your Latchkey password was changed");
  });

  it("refuses a new password equal to the current one and changes nothing", async () => {
    const { user, here, elsewhere } = await accountWithPassword();
    const before = await storedHash(user.id);
    await expect(changePassword(here.session, { currentPassword: OLD, newPassword: OLD })).rejects.toMatchObject({
      code: "password_unchanged",
      details: { field: "newPassword" },
    });
    expect(await storedHash(user.id)).toBe(before);
    expect(await authenticateBearerToken(elsewhere.token)).not.toBeNull();
  });

  it("refuses a wrong or missing current password and changes nothing", async () => {
    const { user, here, elsewhere } = await accountWithPassword();
    const before = await storedHash(user.id);
    await expect(changePassword(here.session, { currentPassword: "not my password", newPassword: NEW })).rejects.toMatchObject({
      code: "wrong_password",
      details: { field: "currentPassword" },
    });
    await expect(changePassword(here.session, { newPassword: NEW })).rejects.toMatchObject({ code: "current_password_required" });
    expect(await storedHash(user.id)).toBe(before);
    expect(await authenticateBearerToken(elsewhere.token)).not.toBeNull();
    expect(await prisma.outboxMessage.count()).toBe(0);
  });

  it("stops checking passwords after 5 wrong ones in 15 minutes, even a right one", async () => {
    const { here } = await accountWithPassword();
    for (let attempt = 0; attempt < 5; attempt++) {
      await expect(changePassword(here.session, { currentPassword: `wrong-${attempt}`, newPassword: NEW })).rejects.toMatchObject({
        code: "wrong_password",
      });
    }
    await expect(changePassword(here.session, { currentPassword: OLD, newPassword: NEW })).rejects.toMatchObject({ status: 429 });
  });

  it("refuses a common password", async () => {
    const { here } = await accountWithPassword();
    await expect(changePassword(here.session, { currentPassword: OLD, newPassword: "password123" })).rejects.toMatchObject({
      code: "common_password",
      details: { field: "newPassword" },
    });
  });

  it("is one transaction: a failure half-way keeps the old password and every session", async () => {
    const { user, here, elsewhere } = await accountWithPassword();
    const before = await storedHash(user.id);
    await injectFailure("outbox_messages", "INSERT"); // the notice is the last write
    await expect(changePassword(here.session, { currentPassword: OLD, newPassword: NEW })).rejects.toThrow();
    await clearInjectedFailures();
    expect(await storedHash(user.id)).toBe(before);
    expect(await authenticateBearerToken(elsewhere.token)).not.toBeNull();
    expect(await prisma.auditEvent.count()).toBe(0);
  });
});

describe("setting a first password", () => {
  it("needs a recent sign-in instead of a current password", async () => {
    const user = await createTestUser();
    const { session } = await signIn(user.id);
    const stale = await ageSignIn(session.id, 11);
    await expect(changePassword(stale, { newPassword: NEW })).rejects.toMatchObject({ code: "reauthentication_required", status: 403 });
    expect((await prisma.user.findUniqueOrThrow({ where: { id: user.id } })).password).toBeNull();

    const fresh = await ageSignIn(session.id, 9);
    expect(await changePassword(fresh, { newPassword: NEW })).toMatchObject({ kind: "set" });
    expect((await verifyPassword(await storedHash(user.id), NEW)).ok).toBe(true);
    expect(await prisma.auditEvent.count({ where: { action: "user.password_set" } })).toBe(1);
    expect((await prisma.outboxMessage.findFirstOrThrow({ where: { to: user.email! } })).subject).toBe(
      "A password was set on your Latchkey account",
    );
  });

  it("tells a phone-only account by SMS", async () => {
    const user = await createTestUser({ email: null, phoneNumber: "+14155552671", phoneVerified: true });
    const { session } = await signIn(user.id);
    await changePassword(session, { newPassword: NEW });
    const sms = await prisma.outboxMessage.findFirstOrThrow({ where: { to: "+14155552671" } });
    expect(sms.channel).toBe("SMS");
  });
});

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { settleAfterAnswer } from "../after-answer";
import { prisma } from "../db";
import { issueCode } from "../verification/codes";
import { CODE_LIMITS } from "../limits";
import { authenticateBearerToken, findLiveSessionById } from "../auth/sessions";
import { hashToken } from "../crypto";
import { createTestUser, resetDatabase } from "../../test/db";
import { cancelEmailChange, confirmEmailChange, pendingEmailOf, requestEmailChange } from "./email-change";
import { revertContactChange } from "./contact-revert";
import { requestPasswordReset, resetPasswordWithCode, resetPasswordWithLink } from "../accounts/password-reset";
import { confirmPhoneChange, requestPhoneChange } from "./phone-change";
import { signUp } from "../accounts/sign-up";
import { changePassword } from "./password";
import { notifyAccountHolder } from "../users/notify";
import { passkeyAddedNotice } from "../mail/templates";
import {
  ageSignIn,
  clearInjectedFailures,
  codeIn,
  injectConcurrentClaim,
  injectFailure,
  keyCount,
  lastMessageTo,
  publishKeys,
  signIn,
} from "../../test/settings-support";

beforeEach(resetDatabase);
afterEach(clearInjectedFailures);

const NEW = "new-address@example.test";

async function account() {
  const user = await createTestUser();
  const here = await signIn(user.id, "BROWSER");
  const elsewhere = await signIn(user.id, "CLIENT");
  return { user, here, elsewhere, oldEmail: user.email! };
}

async function userRow(id: string) {
  return prisma.user.findUniqueOrThrow({ where: { id } });
}

/** Requests the change and reads the code from the mail queued for the new address. */
async function requestAndReadCode(session: Parameters<typeof requestEmailChange>[0], email = NEW) {
  await requestEmailChange(session, email);
  const mail = await lastMessageTo(email);
  return codeIn(mail!.text);
}

/** The revert link's token, from the notice queued for the old address. */
async function revertTokenFor(oldEmail: string) {
  const notice = await lastMessageTo(oldEmail);
  const match = /token=([A-Za-z0-9_-]+)/.exec(notice!.text);
  return decodeURIComponent(match![1]!);
}

describe("email change", () => {
  it("needs a sign-in within the last 10 minutes", async () => {
    const { here, user } = await account();
    const stale = await ageSignIn(here.session.id, 11);
    await expect(requestEmailChange(stale, NEW)).rejects.toMatchObject({ code: "reauthentication_required", status: 403 });
    expect(await pendingEmailOf(user.id)).toBeNull();
    expect(await prisma.outboxMessage.count()).toBe(0);
  });

  it("sends a code to the new address, keeps it pending, and changes the address with that code", async () => {
    const { here, user, oldEmail } = await account();
    const code = await requestAndReadCode(here.session);
    expect(await pendingEmailOf(user.id)).toBe(NEW);
    expect((await userRow(user.id)).email).toBe(oldEmail);
    const stored = await prisma.oneTimeCode.findFirstOrThrow({ where: { destination: NEW, purpose: "EMAIL_CHANGE" } });
    expect(stored.codeHash).not.toContain(code);
    expect(stored.userId).toBe(user.id);

    await expect(confirmEmailChange(here.session, code === "000000" ? "111111" : "000000")).rejects.toMatchObject({ code: "invalid_code" });
    expect((await userRow(user.id)).email).toBe(oldEmail);

    expect(await confirmEmailChange(here.session, code)).toEqual({ email: NEW });
    const changed = await userRow(user.id);
    expect(changed).toMatchObject({ email: NEW, emailVerified: true });
    expect(await pendingEmailOf(user.id)).toBeNull();
    expect(await prisma.auditEvent.count({ where: { userId: user.id, action: "user.email_changed" } })).toBe(1);

    const notice = await lastMessageTo(oldEmail);
    expect(notice!.subject).toBe("The email address of your Latchkey account was changed");
    expect(notice!.text).toContain(NEW);
    const token = await revertTokenFor(oldEmail);
    const link = await prisma.linkToken.findUniqueOrThrow({ where: { tokenHash: hashToken(token) } });
    expect(link).toMatchObject({ purpose: "EMAIL_CHANGE_REVERT", email: oldEmail, userId: user.id, usedAt: null });
    expect(link.expiresAt.getTime() - link.createdAt.getTime()).toBeGreaterThan(7 * 86_400_000 - 5_000);
    expect(link.expiresAt.getTime() - link.createdAt.getTime()).toBeLessThanOrEqual(7 * 86_400_000 + 5_000);

    // The code is single use.
    await expect(confirmEmailChange(here.session, code)).rejects.toMatchObject({ code: "no_pending_change" });
  });

  it("answers a taken address like a free one even after its owner used up the address's hourly sends", async () => {
    const owner = await createTestUser({ email: "taken@example.test" });
    const ownerAtHome = { key: "ip:198.51.100.1", known: true };
    for (let sent = 0; sent < CODE_LIMITS.sends.limit; sent++) {
      await prisma.$transaction((tx) => issueCode(tx, { channel: "EMAIL", destination: "taken@example.test", purpose: "SIGNIN", userId: owner.id, requester: ownerAtHome }));
      // The owner signs in again a little later, past the resend cooldown.
      await prisma.$executeRaw`UPDATE rate_limit_hits SET created_at = created_at - interval '61 seconds'`;
    }
    const first = await account();
    const second = await account();

    const free = await requestEmailChange(first.here.session, "free@example.test");
    const taken = await requestEmailChange(second.here.session, "taken@example.test");
    expect(Object.keys(taken)).toEqual(Object.keys(free));
    expect(await pendingEmailOf(second.user.id)).toBe("taken@example.test");
    // The owner's own sign-ins are still capped per address.
    await expect(
      prisma.$transaction((tx) => issueCode(tx, { channel: "EMAIL", destination: "taken@example.test", purpose: "SIGNIN", userId: owner.id, requester: ownerAtHome })),
    ).rejects.toMatchObject({ status: 429 });
  });

  it("caps the codes one account sends to one new address like any other sends", async () => {
    const { here } = await account();
    for (let sent = 0; sent < CODE_LIMITS.sends.limit; sent++) {
      await requestEmailChange(here.session, NEW);
      await prisma.$executeRaw`UPDATE rate_limit_hits SET created_at = created_at - interval '61 seconds'`;
    }
    await expect(requestEmailChange(here.session, NEW)).rejects.toMatchObject({ status: 429 });
  });

  it("answers a taken address exactly as a free one: same result, same outbox shape, same code rows", async () => {
    const taker = await createTestUser({ email: "taken@example.test" });
    const first = await account();
    const second = await account();

    const free = await requestEmailChange(first.here.session, "free@example.test");
    const taken = await requestEmailChange(second.here.session, "taken@example.test");
    expect(Object.keys(taken)).toEqual(Object.keys(free));

    const shape = async (to: string) =>
      (await prisma.outboxMessage.findMany({ where: { to } })).map((message) => ({ channel: message.channel, subjectGiven: message.subject !== null }));
    expect(await shape("taken@example.test")).toEqual(await shape("free@example.test"));
    expect(await shape("taken@example.test")).toHaveLength(1);
    expect(await prisma.oneTimeCode.count({ where: { destination: "taken@example.test", purpose: "EMAIL_CHANGE" } })).toBe(1);
    expect(await pendingEmailOf(second.user.id)).toBe("taken@example.test");
    // The owner of the taken address is told, and gets no code that could complete the change.
    expect((await lastMessageTo("taken@example.test"))!.text).not.toMatch(/\b\d{6}\b/);

    // A guess at the confirmation step is answered like any wrong code.
    await expect(confirmEmailChange(second.here.session, "123456")).rejects.toMatchObject({ code: "invalid_code", details: { reason: "wrong" } });
    expect((await userRow(taker.id)).email).toBe("taken@example.test");
    expect((await userRow(second.user.id)).email).toBe(second.oldEmail);
  });

  it("never completes onto an address another account took after the code was sent", async () => {
    const { here, user, oldEmail } = await account();
    const code = await requestAndReadCode(here.session);
    await createTestUser({ email: NEW });
    await expect(confirmEmailChange(here.session, code)).rejects.toMatchObject({ code: "email_unavailable", status: 409 });
    expect((await userRow(user.id)).email).toBe(oldEmail);
    expect(await prisma.linkToken.count()).toBe(0);
  });

  it("never completes onto an address taken concurrently, between the check and the write (unique constraint)", async () => {
    const { here, user, oldEmail } = await account();
    const code = await requestAndReadCode(here.session);
    await injectConcurrentClaim("email");
    await expect(confirmEmailChange(here.session, code)).rejects.toMatchObject({ code: "email_unavailable" });
    await clearInjectedFailures();
    expect((await userRow(user.id)).email).toBe(oldEmail);
    expect(await prisma.user.count({ where: { email: NEW } })).toBe(0); // the competing row rolled back with the change
    expect(await prisma.linkToken.count()).toBe(0);
    expect(await prisma.auditEvent.count({ where: { action: "user.email_changed" } })).toBe(0);
    expect(await lastMessageTo(oldEmail)).toBeNull();
  });

  it("is one transaction: a failure half-way (after the address is written) leaves the account as it was", async () => {
    const { here, user, oldEmail } = await account();
    const code = await requestAndReadCode(here.session);
    await injectFailure("audit_events", "INSERT");
    await expect(confirmEmailChange(here.session, code)).rejects.toThrow();
    await clearInjectedFailures();
    const after = await userRow(user.id);
    expect(after.email).toBe(oldEmail);
    expect(await pendingEmailOf(user.id)).toBe(NEW);
    expect(await prisma.linkToken.count()).toBe(0);
    expect(await lastMessageTo(oldEmail)).toBeNull();
  });

  it("cancelling drops the pending address, kills its code and is recorded once", async () => {
    const { here, user } = await account();
    const code = await requestAndReadCode(here.session);
    await cancelEmailChange(here.session, { ip: "203.0.113.8" });
    expect(await pendingEmailOf(user.id)).toBeNull();
    await expect(confirmEmailChange(here.session, code)).rejects.toMatchObject({ code: "no_pending_change" });
    expect(await prisma.oneTimeCode.count({ where: { destination: NEW, expiresAt: { gt: new Date() } } })).toBe(0);
    await cancelEmailChange(here.session);
    expect(await prisma.auditEvent.findMany({ where: { action: "user.email_change_cancelled" } })).toMatchObject([
      { userId: user.id, deviceId: here.session.deviceId, ip: "203.0.113.8", metadata: { to: NEW } },
    ]);
  });

  it("only the newest requested address can complete, and none waits once it has", async () => {
    const { here, user } = await account();
    const firstCode = await requestAndReadCode(here.session, "first@example.test");
    await confirmEmailChange(here.session, await requestAndReadCode(here.session));
    expect(await pendingEmailOf(user.id)).toBeNull();
    await expect(confirmEmailChange(here.session, firstCode)).rejects.toMatchObject({ code: "no_pending_change" });
    expect((await userRow(user.id)).email).toBe(NEW);
  });

  it("refuses the account's own address", async () => {
    const { here, oldEmail } = await account();
    await expect(requestEmailChange(here.session, oldEmail)).rejects.toMatchObject({ code: "same_email" });
  });
});

describe("reverting an email change", () => {
  async function changed() {
    const setup = await account();
    await confirmEmailChange(setup.here.session, await requestAndReadCode(setup.here.session));
    return { ...setup, token: await revertTokenFor(setup.oldEmail) };
  }

  it("restores the old address and signs out every session, browser and API token alike", async () => {
    const { user, here, elsewhere, oldEmail, token } = await changed();
    expect(await revertContactChange(token)).toMatchObject({ email: oldEmail });
    expect((await userRow(user.id)).email).toBe(oldEmail);
    expect(await findLiveSessionById(here.session.id)).toBeNull();
    expect(await authenticateBearerToken(elsewhere.token)).toBeNull();
    expect(await prisma.auditEvent.count({ where: { action: "user.email_change_reverted" } })).toBe(1);
  });

  it("works once", async () => {
    const { token } = await changed();
    await revertContactChange(token);
    await expect(revertContactChange(token)).rejects.toMatchObject({ code: "invalid_link" });
  });

  it("stops working after 7 days", async () => {
    const { user, token } = await changed();
    await prisma.linkToken.updateMany({ data: { expiresAt: new Date(Date.now() - 1000) } });
    await expect(revertContactChange(token)).rejects.toMatchObject({ code: "invalid_link" });
    expect((await userRow(user.id)).email).toBe(NEW);
  });

  it("refuses unknown tokens", async () => {
    await changed();
    await expect(revertContactChange("not-a-token")).rejects.toMatchObject({ code: "invalid_link" });
  });

  it("keeps the first notice's link working when the address is changed twice, and the second's cannot void it", async () => {
    const { user, here, oldEmail, token: firstToken } = await changed();
    const fresh = await ageSignIn(here.session.id, 0);
    await confirmEmailChange(fresh, await requestAndReadCode(fresh, "third@example.test"));
    const secondToken = await revertTokenFor(NEW);

    await revertContactChange(secondToken); // back to NEW, the intruder's address
    expect((await userRow(user.id)).email).toBe(NEW);
    await revertContactChange(firstToken); // the rightful owner still gets the account back
    expect((await userRow(user.id)).email).toBe(oldEmail);
  });

  it("evicts an intruder: phone restored, resets and codes void, devices since the change revoked with their keys, owner told", async () => {
    const ownerPhone = "+14155550100";
    const intruderPhone = "+14155550199";
    const user = await createTestUser({ phoneNumber: ownerPhone, phoneVerified: true });
    const oldEmail = user.email!;
    const intruder = await signIn(user.id, "BROWSER");
    await confirmEmailChange(intruder.session, await requestAndReadCode(intruder.session));
    const revertToken = await revertTokenFor(oldEmail);
    await requestPhoneChange(intruder.session, intruderPhone);
    await confirmPhoneChange(intruder.session, codeIn((await lastMessageTo(intruderPhone))!.text));
    const client = await signIn(user.id, "CLIENT", "Intruder phone");
    await publishKeys(client.device.id);
    const context = { ip: "203.0.113.9", userAgent: "test" };
    await requestPasswordReset({ email: NEW }, context);
    await settleAfterAnswer(); // the reset mail follows the answer
    const resetMail = (await lastMessageTo(NEW))!;
    const resetLink = /\/reset\/([\w-]+)/.exec(resetMail.text)![1]!;
    const resetCode = codeIn(resetMail.subject ?? resetMail.text);

    await revertContactChange(revertToken);

    expect(await userRow(user.id)).toMatchObject({ email: oldEmail, phoneNumber: ownerPhone, phoneVerified: true });
    expect(await prisma.device.findUniqueOrThrow({ where: { id: client.device.id } })).toMatchObject({ revoked: true });
    // The intruder's browser, signed in just before the change, is inside the lookback (ADR 0086).
    expect(await prisma.device.findUniqueOrThrow({ where: { id: intruder.device.id } })).toMatchObject({ revoked: true });
    expect(await keyCount(client.device.id)).toBe(0);
    expect(await authenticateBearerToken(client.token)).toBeNull();
    expect(await findLiveSessionById(intruder.session.id)).toBeNull();
    await expect(resetPasswordWithLink({ token: resetLink, password: "intruder-new-secret-93" }, context)).rejects.toMatchObject({ code: "invalid_link" });
    await expect(resetPasswordWithCode({ email: NEW, code: resetCode, password: "intruder-new-secret-93" }, context)).rejects.toMatchObject({
      code: "invalid_code",
    });
    expect(await prisma.oneTimeCode.count({ where: { userId: user.id, usedAt: null, expiresAt: { gt: new Date() } } })).toBe(0);
    expect((await userRow(user.id)).password).toBe(user.password);

    const undone = (await lastMessageTo(oldEmail))!;
    expect(undone.subject).toBe("We undid changes to your Latchkey account");
    expect(undone.text).toContain(`Your phone number is ${ownerPhone} again (it had been changed to ${intruderPhone})`);
    expect(undone.text).toContain("Intruder phone");
    expect(undone.text).toContain(NEW);
  });

  it("removes a number set since the change when the account had none", async () => {
    const { user, here, oldEmail, token } = await changed();
    await requestPhoneChange(here.session, "+14155550123");
    await confirmPhoneChange(here.session, codeIn((await lastMessageTo("+14155550123"))!.text));
    await revertContactChange(token);
    expect(await userRow(user.id)).toMatchObject({ email: oldEmail, phoneNumber: null, phoneVerified: false });
    expect((await lastMessageTo(oldEmail))!.text).toContain("The phone number +14155550123, set in the last days, was removed.");
  });
});

describe("a sign-up nobody confirmed owns nothing (ADR 0075)", () => {
  const squat = async (email: string) => {
    await signUp({ contact: { channel: "EMAIL", destination: email }, browserKey: "intruder-browser" }, { ip: "203.0.113.66", userAgent: "curl" });
    await settleAfterAnswer();
    return prisma.user.findUniqueOrThrow({ where: { email } });
  };

  it("the undo link takes the old address back from a sign-up started for it since the change", async () => {
    const setup = await account();
    await confirmEmailChange(setup.here.session, await requestAndReadCode(setup.here.session));
    const token = await revertTokenFor(setup.oldEmail);
    const squatter = await squat(setup.oldEmail);

    expect(await revertContactChange(token)).toMatchObject({ email: setup.oldEmail });
    expect((await userRow(setup.user.id)).email).toBe(setup.oldEmail);
    expect(await prisma.user.findUnique({ where: { id: squatter.id } })).toBeNull();
    expect(await prisma.linkToken.count({ where: { userId: squatter.id } })).toBe(0);
    const [event] = await prisma.auditEvent.findMany({ where: { action: "user.email_change_reverted" } });
    expect(event!.metadata).toMatchObject({ unconfirmedSignUpRemoved: true });
  });

  it("a confirmed account at the old address still blocks the undo and is never deleted", async () => {
    const setup = await account();
    await confirmEmailChange(setup.here.session, await requestAndReadCode(setup.here.session));
    const token = await revertTokenFor(setup.oldEmail);
    const holder = await createTestUser({ email: setup.oldEmail });
    await expect(revertContactChange(token)).rejects.toMatchObject({ code: "email_unavailable", status: 409 });
    expect(await prisma.user.findUnique({ where: { id: holder.id } })).not.toBeNull();
  });

  it("an email change sends the real code to an address held by an unconfirmed sign-up, and takes it", async () => {
    const { here, user } = await account();
    const squatter = await squat(NEW);
    const code = await requestAndReadCode(here.session);
    expect(await confirmEmailChange(here.session, code)).toEqual({ email: NEW });
    expect((await userRow(user.id)).email).toBe(NEW);
    expect(await prisma.user.findUnique({ where: { id: squatter.id } })).toBeNull();
  });
});

/** A stored passkey, as registration leaves it (the ceremony itself is tested in lib/passkeys). */
async function addPasskey(userId: string, name: string, createdAt = new Date()) {
  return prisma.passkey.create({
    data: { userId, name, createdAt, credentialId: `cred-${name}-${createdAt.getTime()}`, publicKey: Buffer.from([1]), backedUp: false, deviceType: "SINGLE_DEVICE", aaguid: "00000000-0000-0000-0000-000000000000", transports: [] },
  });
}

const context = { ip: "203.0.113.9", userAgent: "test" };

describe("recovery evicts the intruder's passkeys and messaging devices (issue 22, ADRs 0064, 0065)", () => {
  it("the revert removes the passkeys added since the change, keeps older ones, and names them in the owner's mail", async () => {
    const { user, here, oldEmail } = await account();
    await addPasskey(user.id, "Owner laptop", new Date(Date.now() - 8 * 86_400_000)); // before the undo's 7-day lookback (ADR 0086)
    await confirmEmailChange(here.session, await requestAndReadCode(here.session));
    const token = await revertTokenFor(oldEmail);
    await addPasskey(user.id, "Intruder key");

    await revertContactChange(token, {}, context);

    expect((await prisma.passkey.findMany({ where: { userId: user.id } })).map((passkey) => passkey.name)).toEqual(["Owner laptop"]);
    const undone = (await lastMessageTo(oldEmail))!;
    expect(undone.text).toMatch(/passkeys were removed and can no longer sign in: Intruder key \(added \d{4}-\d\d-\d\d \d\d:\d\d UTC\)/);
    expect(undone.text).not.toContain("Owner laptop");
    expect(await prisma.auditEvent.count({ where: { action: "passkey.removed", userId: user.id } })).toBe(1);
  });

  it("a reset by link removes every passkey when asked, and revokes messaging devices left without a session, with their keys", async () => {
    const { user, oldEmail } = await account();
    await addPasskey(user.id, "Intruder key");
    const client = await signIn(user.id, "CLIENT", "Intruder phone");
    await publishKeys(client.device.id);
    await requestPasswordReset({ email: oldEmail }, context);
    await settleAfterAnswer();
    const resetLink = /\/reset\/([\w-]+)/.exec((await lastMessageTo(oldEmail))!.text)![1]!;

    await resetPasswordWithLink({ token: resetLink, password: "owner-took-it-back-71", removePasskeys: true }, context);

    expect(await prisma.passkey.count({ where: { userId: user.id } })).toBe(0);
    expect(await prisma.device.findUniqueOrThrow({ where: { id: client.device.id } })).toMatchObject({ revoked: true });
    expect(await keyCount(client.device.id)).toBe(0);
    const notice = (await lastMessageTo(oldEmail))!;
    expect(notice.subject).toBe("Your Latchkey password was reset");
    expect(notice.text).toContain("Intruder key (added ");
    expect(notice.text).toMatch(/removed with their encryption keys: [^\n]*Intruder phone/);
  });

  it("a reset by link keeps the passkeys when the owner unticks the box", async () => {
    const { user, oldEmail } = await account();
    await addPasskey(user.id, "Owner laptop");
    await requestPasswordReset({ email: oldEmail }, context);
    await settleAfterAnswer();
    const resetLink = /\/reset\/([\w-]+)/.exec((await lastMessageTo(oldEmail))!.text)![1]!;
    await resetPasswordWithLink({ token: resetLink, password: "owner-took-it-back-71", removePasskeys: false }, context);
    expect(await prisma.passkey.count({ where: { userId: user.id } })).toBe(1);
  });

  it("a password change revokes the messaging devices it signed out, and keeps the one still signed in", async () => {
    const user = await createTestUser();
    const here = await signIn(user.id, "BROWSER");
    const intruderClient = await signIn(user.id, "CLIENT", "Intruder phone");
    await publishKeys(intruderClient.device.id);
    await changePassword(here.session, { newPassword: "owner-took-it-back-71" }, context);
    expect(await prisma.device.findUniqueOrThrow({ where: { id: intruderClient.device.id } })).toMatchObject({ revoked: true });
    expect(await keyCount(intruderClient.device.id)).toBe(0);
    expect(await prisma.device.findUniqueOrThrow({ where: { id: here.device.id } })).toMatchObject({ revoked: false });
  });
});

describe("notices reach the holder while a revert link is open (issue 22, ADR 0063)", () => {
  it("goes to the new address and to the one the change replaced, and only to the new one once the link is used", async () => {
    const { user, here, oldEmail } = await account();
    await confirmEmailChange(here.session, await requestAndReadCode(here.session));
    await prisma.$transaction(async (tx) => notifyAccountHolder(tx, await tx.user.findUniqueOrThrow({ where: { id: user.id } }), passkeyAddedNotice("Intruder key")));
    const added = await prisma.outboxMessage.findMany({ where: { subject: "A passkey was added to your Latchkey account" } });
    expect(added.map((message) => message.to).sort()).toEqual([NEW, oldEmail].sort());

    await prisma.linkToken.updateMany({ where: { purpose: "EMAIL_CHANGE_REVERT" }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await prisma.$transaction(async (tx) => notifyAccountHolder(tx, await tx.user.findUniqueOrThrow({ where: { id: user.id } }), passkeyAddedNotice("Second key")));
    expect(await prisma.outboxMessage.count({ where: { to: oldEmail, text: { contains: "Second key" } } })).toBe(0);
    expect(await prisma.outboxMessage.count({ where: { to: NEW, text: { contains: "Second key" } } })).toBe(1);
  });

  it("a phone-only account that gains an address is texted an undo link, later notices too, and the undo removes the address", async () => {
    const phone = "+14155550142";
    const user = await createTestUser({ email: null, emailVerified: false, phoneNumber: phone, phoneVerified: true });
    const intruder = await signIn(user.id, "BROWSER");
    await confirmEmailChange(intruder.session, await requestAndReadCode(intruder.session));
    const text = (await lastMessageTo(phone))!.text;
    expect(text).toContain(`the email address ${NEW} was added`);
    const token = decodeURIComponent(/token=([A-Za-z0-9_%-]+)/.exec(text)![1]!);

    await changePassword(await ageSignIn(intruder.session.id, 0), { newPassword: "intruder-secret-42" }, context);
    expect((await lastMessageTo(phone))!.text).toContain("password");
    expect(await lastMessageTo(NEW)).toMatchObject({ subject: "A password was set on your Latchkey account" });

    expect(await revertContactChange(token, {}, context)).toMatchObject({ email: null });
    expect(await userRow(user.id)).toMatchObject({ email: null, emailVerified: false, phoneNumber: phone });
    expect((await lastMessageTo(phone))!.text).toContain("changes to your account were undone");
  });
});

import { beforeEach, describe, expect, it } from "vitest";
import { prisma } from "../db";
import { createTestUser, resetDatabase } from "../../test/db";
import { ageSignIn, codeIn, keyCount, lastMessageTo, publishKeys, signIn } from "../../test/settings-support";
import { confirmEmailChange, requestEmailChange } from "./email-change";
import { confirmPhoneChange, requestPhoneChange } from "./phone-change";
import { revertContactChange, revertPreview } from "./contact-revert";
import { notifyAccountHolder } from "../users/notify";
import { passkeyAddedNotice } from "../mail/templates";

// Attack findings F2, F8, F9, F10, F11 (ADR 0086): whoever takes an account prepares their way back
// before moving its address or number. The undo must remove what was added in the days before.

beforeEach(resetDatabase);

const DAY = 86_400_000;
const EVIL = "evil@example.test";
const context = { ip: "203.0.113.7", userAgent: "test" };
type Session = Awaited<ReturnType<typeof signIn>>["session"];

const tokenIn = (text: string) => decodeURIComponent(/token=([A-Za-z0-9_%-]+)/.exec(text)![1]!);

async function changeEmail(session: Session, to = EVIL) {
  await requestEmailChange(session, to);
  await confirmEmailChange(session, codeIn((await lastMessageTo(to))!.text));
}

async function changePhone(session: Session, to: string) {
  await requestPhoneChange(session, to);
  await confirmPhoneChange(session, codeIn((await lastMessageTo(to))!.text));
}

async function addPasskey(userId: string, name: string, createdAt = new Date()) {
  return prisma.passkey.create({
    data: { userId, name, createdAt, credentialId: `cred-${name}`, publicKey: Buffer.from([1]), backedUp: false, deviceType: "SINGLE_DEVICE", aaguid: "00000000-0000-0000-0000-000000000000", transports: [] },
  });
}

/** A password changed just now, as /settings/password records it (the old one need not be known here). */
async function setPassword(userId: string) {
  await prisma.user.update({ where: { id: userId }, data: { password: "intruder-hash", passwordChangedAt: new Date() } });
}

async function turnOnTwoStep(userId: string, at = new Date()) {
  await prisma.twoStep.create({ data: { userId, secretEncrypted: "sealed", enabledAt: at, createdAt: at } });
  await prisma.recoveryCode.create({ data: { userId, codeHash: `hash-${userId}`, createdAt: at } });
  await prisma.twoStepChallenge.create({ data: { tokenHash: `challenge-${userId}`, userId, kind: "CLIENT", via: "password", expiresAt: new Date(Date.now() + 60_000) } });
}

/** An owner with an old browser, an old messaging device, an old passkey and two-step; an intruder's fresh browser. */
async function ownedAccount(phoneNumber: string | null = null) {
  const eightDaysAgo = new Date(Date.now() - 8 * DAY);
  const user = await createTestUser({ phoneNumber, phoneVerified: phoneNumber !== null, password: "owner-hash", passwordChangedAt: eightDaysAgo });
  const ownerBrowser = await signIn(user.id, "BROWSER", "Owner laptop");
  const ownerClient = await signIn(user.id, "CLIENT", "Owner phone");
  await prisma.device.updateMany({ where: { userId: user.id }, data: { createdAt: eightDaysAgo } });
  const ownerKey = await addPasskey(user.id, "Owner key", eightDaysAgo);
  const intruder = await signIn(user.id, "BROWSER", "Intruder browser");
  return { user, ownerBrowser, ownerClient, ownerKey, intruder, oldEmail: user.email! };
}

describe("the email-change undo removes what the intruder prepared before the change (F2, F9, F10, F11)", () => {
  it("turns off the intruder's two-step, clears their password, removes their earlier passkey, number and messaging device", async () => {
    const { user, ownerBrowser, ownerClient, ownerKey, intruder, oldEmail } = await ownedAccount();
    await setPassword(user.id); // F2
    await turnOnTwoStep(user.id); // F2
    const intruderKey = await addPasskey(user.id, "Intruder key"); // F11
    await changePhone(await ageSignIn(intruder.session.id, 0), "+14155550177"); // F10
    const intruderClient = await signIn(user.id, "CLIENT", "Intruder client"); // F9
    await publishKeys(intruderClient.device.id);
    await publishKeys(ownerClient.device.id);
    await changeEmail(await ageSignIn(intruder.session.id, 0));
    const token = tokenIn((await lastMessageTo(oldEmail))!.text);

    const preview = (await revertPreview(token))!;
    expect(preview.passkeys.map((passkey) => passkey.name)).toEqual(["Intruder key"]);
    expect(preview.devices.map((device) => device.name).sort()).toEqual(["Intruder browser", "Intruder client", "Owner phone"]);
    expect(preview).toMatchObject({ kind: "email", twoStep: { since: expect.any(Date) }, password: { since: expect.any(Date) }, phone: { before: null, now: "+14155550177" } });

    expect(await revertContactChange(token, {}, context)).toEqual({ email: oldEmail, phoneNumber: null });

    const row = await prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row).toMatchObject({ email: oldEmail, password: null, phoneNumber: null, phoneVerified: false });
    expect(await prisma.twoStep.count({ where: { userId: user.id } })).toBe(0);
    expect(await prisma.recoveryCode.count({ where: { userId: user.id } })).toBe(0);
    expect(await prisma.twoStepChallenge.count({ where: { userId: user.id } })).toBe(0);
    expect((await prisma.passkey.findMany({ where: { userId: user.id } })).map((passkey) => passkey.id)).toEqual([ownerKey.id]);
    expect(await prisma.passkey.count({ where: { id: intruderKey.id } })).toBe(0);
    const revoked = await prisma.device.findMany({ where: { userId: user.id, revoked: true }, select: { id: true } });
    expect(revoked.map((device) => device.id).sort()).toEqual([intruder.device.id, intruderClient.device.id, ownerClient.device.id].sort());
    expect(await prisma.device.findUniqueOrThrow({ where: { id: ownerBrowser.device.id } })).toMatchObject({ revoked: false });
    expect(await keyCount(intruderClient.device.id)).toBe(0);
    expect(await keyCount(ownerClient.device.id)).toBe(0);

    const mail = (await lastMessageTo(oldEmail))!;
    expect(mail.subject).toBe("We undid changes to your Latchkey account");
    expect(mail.text).toContain("Intruder key (added ");
    expect(mail.text).toContain("Intruder client");
    expect(mail.text).toContain("The phone number +14155550177, set in the last days, was removed.");
    expect(mail.text).toContain("Two-step verification, turned on or changed in the last days, was turned off");
    expect(mail.text).toContain("The password set in the last days was removed");
    const event = await prisma.auditEvent.findFirstOrThrow({ where: { action: "user.email_change_reverted" } });
    expect(event.metadata).toMatchObject({ twoStepTurnedOff: true, passwordCleared: true, passkeysRemoved: 1, devicesRevoked: 3 });
  });

  it("keeps the owner's two-step, password, number and passkeys from before the lookback", async () => {
    const { user, intruder, oldEmail } = await ownedAccount("+14155550150");
    await turnOnTwoStep(user.id, new Date(Date.now() - 8 * DAY));
    await changeEmail(intruder.session);

    await revertContactChange(tokenIn((await lastMessageTo(oldEmail))!.text));

    expect(await prisma.user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({ password: "owner-hash", phoneNumber: "+14155550150" });
    expect(await prisma.twoStep.count({ where: { userId: user.id } })).toBe(1);
    expect(await prisma.passkey.count({ where: { userId: user.id } })).toBe(1);
    expect((await lastMessageTo(oldEmail))!.text).not.toContain("Two-step");
  });

  it("turns two-step off when only its recovery codes were made again in the lookback, and restores a replaced number", async () => {
    const { user, intruder, oldEmail } = await ownedAccount("+14155550151");
    await turnOnTwoStep(user.id, new Date(Date.now() - 8 * DAY));
    await prisma.recoveryCode.create({ data: { userId: user.id, codeHash: "regenerated" } });
    await changePhone(intruder.session, "+14155550152");
    await changeEmail(await ageSignIn(intruder.session.id, 0));

    await revertContactChange(tokenIn((await lastMessageTo(oldEmail))!.text));

    expect(await prisma.twoStep.count({ where: { userId: user.id } })).toBe(0);
    expect(await prisma.user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({ phoneNumber: "+14155550151", phoneVerified: true });
  });

  it("keeps what the person at the link chose to keep", async () => {
    const { user, intruder, oldEmail } = await ownedAccount();
    const recentKey = await addPasskey(user.id, "New laptop");
    await setPassword(user.id);
    await turnOnTwoStep(user.id);
    await changeEmail(await ageSignIn(intruder.session.id, 0));

    await revertContactChange(tokenIn((await lastMessageTo(oldEmail))!.text), { passkeyIds: [recentKey.id], twoStep: true, password: true });

    expect(await prisma.passkey.count({ where: { id: recentKey.id } })).toBe(1);
    expect(await prisma.twoStep.count({ where: { userId: user.id } })).toBe(1);
    expect((await prisma.user.findUniqueOrThrow({ where: { id: user.id } })).password).not.toBeNull();
  });
});

describe("the owner picks the number to end with", () => {
  it("offers every number of the window; a number added by the owner in it can be put back, an unlisted one is refused", async () => {
    const { user, ownerBrowser, intruder, oldEmail } = await ownedAccount();
    await changePhone(ownerBrowser.session, "+14155550180");
    await changeEmail(intruder.session);
    const token = tokenIn((await lastMessageTo(oldEmail))!.text);
    await changePhone(await ageSignIn(intruder.session.id, 0), "+14155550189");
    expect((await revertPreview(token))!.phone).toEqual({ before: null, now: "+14155550189", choices: ["+14155550180"] });

    await expect(revertContactChange(token, { phone: "+14155550111" })).rejects.toMatchObject({ code: "invalid_phone_choice", status: 400 });
    await revertContactChange(token, { phone: "+14155550180" });
    expect(await prisma.user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({ phoneNumber: "+14155550180", phoneVerified: true });
  });
});

describe("a phone change has its own undo (F8)", () => {
  it("texts the replaced number an undo link that restores it and evicts the intruder; notices reach that number meanwhile", async () => {
    const ownerPhone = "+14155550160";
    const intruderPhone = "+14155550169";
    const { user, intruder } = await ownedAccount(ownerPhone);
    await prisma.user.update({ where: { id: user.id }, data: { email: null, emailVerified: false } });
    const intruderKey = await addPasskey(user.id, "Intruder key");
    await changePhone(intruder.session, intruderPhone);
    const text = (await lastMessageTo(ownerPhone))!.text;
    expect(text).toContain(`phone number was changed to ${intruderPhone}. Not you? Undo it within 7 days`);
    const token = tokenIn(text);

    const holder = await prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    await prisma.$transaction((tx) => notifyAccountHolder(tx, holder, passkeyAddedNotice("Second key")));
    expect((await lastMessageTo(ownerPhone))!.text).toContain("passkey");

    expect(await revertPreview(token)).toMatchObject({ kind: "phone", phone: { before: ownerPhone, now: intruderPhone } });
    expect(await revertContactChange(token, {}, context)).toEqual({ email: null, phoneNumber: ownerPhone });

    expect(await prisma.user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({ phoneNumber: ownerPhone, phoneVerified: true });
    expect(await prisma.passkey.count({ where: { id: intruderKey.id } })).toBe(0);
    expect(await prisma.session.count({ where: { userId: user.id } })).toBe(0);
    expect((await lastMessageTo(ownerPhone))!.text).toContain("changes to your account were undone");
    expect(await prisma.auditEvent.count({ where: { action: "user.phone_change_reverted", userId: user.id } })).toBe(1);
    await expect(revertContactChange(token)).rejects.toMatchObject({ code: "invalid_link" });
  });

  it("sends no undo link when a number is added to an account that had none", async () => {
    const { intruder, oldEmail } = await ownedAccount();
    await changePhone(intruder.session, "+14155550170");
    expect(await prisma.linkToken.count({ where: { purpose: "PHONE_CHANGE_REVERT" } })).toBe(0);
    expect((await lastMessageTo(oldEmail))!.subject).toBe("Your Latchkey phone number was changed");
  });
});

import { randomBytes } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { prisma } from "../db";
import { createTestDevice, createTestUser, resetDatabase } from "../../test/db";
import { createSession, findLiveSessionById } from "../auth/sessions";
import { AppError } from "../errors";
import { hashPassword } from "../auth/password";
import { reauthenticateWithPassword } from "../settings/reauthenticate";
import { changeRole, deactivateUser, deleteUser, reactivateUser, resendVerification, revokeUserDevice } from "./actions";

beforeEach(resetDatabase);

const context = { ip: "203.0.113.9", userAgent: "test" };

async function userWithSessions(overrides: Parameters<typeof createTestUser>[0] = {}) {
  const user = await createTestUser(overrides);
  const device = await createTestDevice(user.id);
  const browser = await createTestDevice(user.id, { kind: "BROWSER" });
  const sessions = [
    await createSession(prisma, { userId: user.id, deviceId: device.id, kind: "CLIENT" }),
    await createSession(prisma, { userId: user.id, deviceId: browser.id, kind: "BROWSER" }),
  ];
  return { user, device, sessions };
}

async function expectCode(promise: Promise<unknown>, code: string) {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
}

/** An admin whose session confirmed who is at it just now. */
const confirmed = (id: string) => ({ id, authenticatedAt: new Date() });

const auditOf = (action: string) => prisma.auditEvent.findMany({ where: { action } });

describe("who may act", () => {
  it("refuses every action to a non-admin and to a deactivated admin, changing nothing", async () => {
    const { user: target, device } = await userWithSessions({ emailVerified: false });
    const plainUser = await createTestUser();
    const deactivatedAdmin = await createTestUser({ role: "ADMIN", isActive: false });
    await createTestUser({ role: "ADMIN" }); // an active admin exists, so no other rule applies

    for (const actor of [plainUser, deactivatedAdmin]) {
      const input = { actor: confirmed(actor.id), userId: target.id, context };
      await expectCode(deactivateUser(input), "not_found");
      await expectCode(reactivateUser(input), "not_found");
      await expectCode(changeRole({ ...input, role: "ADMIN" }), "not_found");
      await expectCode(revokeUserDevice({ ...input, deviceId: device.id }), "not_found");
      await expectCode(resendVerification(input), "not_found");
      await expectCode(deleteUser(input), "not_found");
    }
    await expectCode(deactivateUser({ actor: confirmed(randomUUIDLike()), userId: target.id }), "not_found");

    const after = await prisma.user.findUniqueOrThrow({ where: { id: target.id } });
    expect(after).toMatchObject({ isActive: true, role: "USER" });
    expect(await prisma.session.count({ where: { userId: target.id } })).toBe(2);
    expect(await prisma.device.count({ where: { id: device.id, revoked: false } })).toBe(1);
    expect(await prisma.outboxMessage.count()).toBe(0);
    expect(await prisma.auditEvent.count()).toBe(0);
  });

  it("answers not_found for a user that does not exist", async () => {
    const admin = await createTestUser({ role: "ADMIN" });
    await expectCode(deactivateUser({ actor: confirmed(admin.id), userId: randomUUIDLike() }), "not_found");
  });
});

describe("confirm it's you (ADR 0073)", () => {
  it("refuses every action that ends access, changes a role or deletes until the admin's session confirms, then audits it", async () => {
    const admin = await createTestUser({ role: "ADMIN", password: await hashPassword("admin's own passphrase") });
    const adminDevice = await createTestDevice(admin.id, { kind: "BROWSER" });
    const { sessionId } = await createSession(prisma, { userId: admin.id, deviceId: adminDevice.id, kind: "BROWSER" });
    const threeDaysAgo = new Date(Date.now() - 3 * 24 * 3600 * 1000);
    await prisma.session.update({ where: { id: sessionId }, data: { authenticatedAt: threeDaysAgo } });
    const stale = await findLiveSessionById(sessionId);
    const { user: target, device } = await userWithSessions({ emailVerified: false });
    const other = await createTestUser({ isActive: false });

    const asStale = { actor: { id: admin.id, authenticatedAt: stale!.authenticatedAt }, context };
    await expectCode(deactivateUser({ ...asStale, userId: target.id }), "reauthentication_required");
    await expectCode(reactivateUser({ ...asStale, userId: other.id }), "reauthentication_required");
    await expectCode(changeRole({ ...asStale, userId: target.id, role: "ADMIN" }), "reauthentication_required");
    await expectCode(revokeUserDevice({ ...asStale, userId: target.id, deviceId: device.id }), "reauthentication_required");
    await expectCode(deleteUser({ ...asStale, userId: target.id }), "reauthentication_required");
    expect(await prisma.user.findUniqueOrThrow({ where: { id: target.id } })).toMatchObject({ isActive: true, role: "USER" });
    expect(await prisma.device.count({ where: { id: device.id, revoked: false } })).toBe(1);
    expect(await prisma.auditEvent.count({ where: { action: { startsWith: "admin." } } })).toBe(0);
    // Resending a verification only repeats what sign-up sent to the person's own contact.
    expect(await resendVerification({ ...asStale, userId: target.id })).toEqual({ channel: "EMAIL" });

    await reauthenticateWithPassword({ ...stale!, id: sessionId }, "admin's own passphrase");
    const fresh = await findLiveSessionById(sessionId);
    const asFresh = { actor: { id: admin.id, authenticatedAt: fresh!.authenticatedAt }, context };
    await reactivateUser({ ...asFresh, userId: other.id });
    await changeRole({ ...asFresh, userId: target.id, role: "ADMIN" });
    await changeRole({ ...asFresh, userId: target.id, role: "USER" });
    await revokeUserDevice({ ...asFresh, userId: target.id, deviceId: device.id });
    await deactivateUser({ ...asFresh, userId: target.id });
    await deleteUser({ ...asFresh, userId: target.id });
    const actions = (await prisma.auditEvent.findMany({ where: { actorId: admin.id, action: { not: "admin.verification_resent" } }, orderBy: { createdAt: "asc" } })).map((event) => event.action);
    expect(actions).toEqual(["admin.user_reactivated", "admin.role_changed", "admin.role_changed", "admin.device_revoked", "admin.user_deactivated", "admin.user_deleted"]);
  });
});

function randomUUIDLike(): string {
  const hex = randomBytes(16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20)}`;
}

describe("deactivate and reactivate", () => {
  it("deactivates at once: every session ends, audited with the acting admin", async () => {
    const admin = await createTestUser({ role: "ADMIN" });
    const { user, sessions } = await userWithSessions();

    expect(await deactivateUser({ actor: confirmed(admin.id), userId: user.id, context })).toEqual({ sessionsEnded: 2 });

    expect((await prisma.user.findUniqueOrThrow({ where: { id: user.id } })).isActive).toBe(false);
    for (const session of sessions) expect(await findLiveSessionById(session.sessionId)).toBeNull();
    const [event] = await auditOf("admin.user_deactivated");
    expect(event).toMatchObject({ userId: user.id, actorId: admin.id, ip: context.ip, metadata: { sessionsEnded: 2 } });
    await expectCode(deactivateUser({ actor: confirmed(admin.id), userId: user.id }), "already_inactive");

    await reactivateUser({ actor: confirmed(admin.id), userId: user.id, context });
    expect((await prisma.user.findUniqueOrThrow({ where: { id: user.id } })).isActive).toBe(true);
    expect(await auditOf("admin.user_reactivated")).toMatchObject([{ userId: user.id, actorId: admin.id }]);
    await expectCode(reactivateUser({ actor: confirmed(admin.id), userId: user.id }), "already_active");
  });
});

describe("the last admin", () => {
  it("cannot be demoted, deactivated or deleted, even by themselves", async () => {
    const admin = await createTestUser({ role: "ADMIN" });
    await createTestUser({ role: "ADMIN", isActive: false }); // a deactivated admin does not count
    const self = { actor: confirmed(admin.id), userId: admin.id, context };

    await expectCode(changeRole({ ...self, role: "USER" }), "last_admin");
    await expectCode(deactivateUser(self), "last_admin");
    await expectCode(deleteUser(self), "last_admin");

    expect(await prisma.user.findUniqueOrThrow({ where: { id: admin.id } })).toMatchObject({ role: "ADMIN", isActive: true });
    expect(await prisma.outboxMessage.count()).toBe(0);
    expect(await prisma.auditEvent.count()).toBe(0);
  });

  it("survives two admins demoting and deactivating each other at the same moment: one admin stays", async () => {
    const first = await createTestUser({ role: "ADMIN" });
    const second = await createTestUser({ role: "ADMIN" });

    const results = await Promise.allSettled([
      changeRole({ actor: confirmed(first.id), userId: second.id, role: "USER" }),
      changeRole({ actor: confirmed(second.id), userId: first.id, role: "USER" }),
      deactivateUser({ actor: confirmed(first.id), userId: second.id }),
      deactivateUser({ actor: confirmed(second.id), userId: first.id }),
    ]);

    const refusals = results.flatMap((result) => (result.status === "rejected" ? [(result.reason as AppError).code] : []));
    // The loser is refused as the last admin, or no longer counts as an admin at all.
    expect(refusals.length).toBeGreaterThanOrEqual(2);
    expect(refusals.every((code) => code === "last_admin" || code === "not_found")).toBe(true);
    const activeAdmins = await prisma.user.count({ where: { role: "ADMIN", isActive: true } });
    expect(activeAdmins).toBe(1);
  });
});

describe("change role", () => {
  it("promotes and demotes, auditing from and to", async () => {
    const admin = await createTestUser({ role: "ADMIN" });
    const user = await createTestUser();

    await changeRole({ actor: confirmed(admin.id), userId: user.id, role: "ADMIN", context });
    expect((await prisma.user.findUniqueOrThrow({ where: { id: user.id } })).role).toBe("ADMIN");
    await changeRole({ actor: confirmed(user.id), userId: admin.id, role: "USER", context });
    expect((await prisma.user.findUniqueOrThrow({ where: { id: admin.id } })).role).toBe("USER");

    const events = await prisma.auditEvent.findMany({ where: { action: "admin.role_changed" }, orderBy: { createdAt: "asc" } });
    expect(events).toMatchObject([
      { userId: user.id, actorId: admin.id, metadata: { from: "USER", to: "ADMIN" } },
      { userId: admin.id, actorId: user.id, metadata: { from: "ADMIN", to: "USER" } },
    ]);
    // The demoted admin can no longer act.
    await expectCode(changeRole({ actor: confirmed(admin.id), userId: user.id, role: "USER" }), "not_found");
    await expectCode(changeRole({ actor: confirmed(user.id), userId: user.id, role: "ADMIN" }), "role_unchanged");
  });
});

describe("revoke a device", () => {
  it("revokes the device, ends its sessions and deletes its keys, audited as an admin action", async () => {
    const admin = await createTestUser({ role: "ADMIN" });
    const { user, device, sessions } = await userWithSessions();
    await prisma.identityKey.create({ data: { deviceId: device.id, publicKey: randomBytes(33), registrationId: 7 } });
    await prisma.oneTimePreKey.create({ data: { deviceId: device.id, keyId: 1, publicKey: randomBytes(33) } });

    await revokeUserDevice({ actor: confirmed(admin.id), userId: user.id, deviceId: device.id, context });

    expect((await prisma.device.findUniqueOrThrow({ where: { id: device.id } })).revoked).toBe(true);
    expect(await findLiveSessionById(sessions[0]!.sessionId)).toBeNull();
    expect(await findLiveSessionById(sessions[1]!.sessionId)).not.toBeNull();
    expect(await prisma.identityKey.count()).toBe(0);
    expect(await prisma.oneTimePreKey.count()).toBe(0);
    expect(await auditOf("admin.device_revoked")).toMatchObject([{ userId: user.id, actorId: admin.id, deviceId: device.id }]);
  });

  it("refuses a device that belongs to someone else", async () => {
    const admin = await createTestUser({ role: "ADMIN" });
    const { user } = await userWithSessions();
    const { device: othersDevice } = await userWithSessions();
    await expectCode(revokeUserDevice({ actor: confirmed(admin.id), userId: user.id, deviceId: othersDevice.id }), "not_found");
    expect((await prisma.device.findUniqueOrThrow({ where: { id: othersDevice.id } })).revoked).toBe(false);
  });
});

describe("resend verification", () => {
  it("mails a new sign-up code and link to an unverified address", async () => {
    const admin = await createTestUser({ role: "ADMIN" });
    const user = await createTestUser({ emailVerified: false });

    expect(await resendVerification({ actor: confirmed(admin.id), userId: user.id, context })).toEqual({ channel: "EMAIL" });

    expect(await prisma.oneTimeCode.count({ where: { destination: user.email!, purpose: "SIGNUP", userId: user.id } })).toBe(1);
    expect(await prisma.linkToken.count({ where: { userId: user.id, purpose: "EMAIL_VERIFICATION" } })).toBe(1);
    const mail = await prisma.outboxMessage.findFirstOrThrow({ where: { to: user.email! } });
    expect(mail.subject).toMatch(/^\d{6} is your Latchkey code$/);
    expect(await auditOf("admin.verification_resent")).toMatchObject([{ userId: user.id, actorId: admin.id, metadata: { channel: "EMAIL" } }]);
    // The usual resend cooldown applies to admins too.
    await expectCode(resendVerification({ actor: confirmed(admin.id), userId: user.id }), "rate_limited");
  });

  it("texts a code to an unverified phone number, and refuses an account with nothing to verify", async () => {
    const admin = await createTestUser({ role: "ADMIN" });
    const phoneUser = await createTestUser({ email: null, emailVerified: false, phoneNumber: "+12125550184", phoneVerified: false });
    expect(await resendVerification({ actor: confirmed(admin.id), userId: phoneUser.id })).toEqual({ channel: "SMS" });
    expect(await prisma.outboxMessage.count({ where: { to: "+12125550184", channel: "SMS" } })).toBe(1);

    const verified = await createTestUser();
    await expectCode(resendVerification({ actor: confirmed(admin.id), userId: verified.id }), "nothing_to_verify");
  });
});

describe("delete an account", () => {
  it("deletes the account and everything it owns, mails a notice, keeps its security record without naming it, and audits the deletion", async () => {
    const admin = await createTestUser({ role: "ADMIN" });
    const { user, device } = await userWithSessions();
    const earlier = await prisma.auditEvent.create({
      data: { action: "user.email_changed", userId: user.id, ip: "203.0.113.9", userAgent: "Firefox", metadata: { from: user.email } },
    });

    await deleteUser({ actor: confirmed(admin.id), userId: user.id, context });

    expect(await prisma.user.count({ where: { id: user.id } })).toBe(0);
    expect(await prisma.device.count({ where: { id: device.id } })).toBe(0);
    expect(await prisma.session.count({ where: { userId: user.id } })).toBe(0);
    expect(await prisma.auditEvent.count({ where: { userId: user.id } })).toBe(0);
    const notice = await prisma.outboxMessage.findFirstOrThrow({ where: { to: user.email! } });
    expect(notice.subject).toBe("Your Latchkey account was deleted");
    // The security record stays, but nothing in it names the person any more.
    expect(await prisma.auditEvent.findUniqueOrThrow({ where: { id: earlier.id } })).toMatchObject({
      action: "user.email_changed",
      userId: null,
      ip: "203.0.113.9",
      userAgent: null,
      metadata: {},
    });
    expect(await auditOf("admin.user_deleted")).toMatchObject([{ userId: null, actorId: admin.id, ip: context.ip, metadata: {} }]);
  });
});

import { prisma, type Tx } from "../db";
import type { Role, User } from "../generated/prisma/client";
import { recordAudit } from "../audit";
import { revokeAllSessions } from "../auth/sessions";
import { revokeDevice } from "../devices/devices";
import { AppError, notFound } from "../errors";
import { assertRecentSignIn } from "../auth/recent-sign-in";
import { deliverOutboxSoon, enqueueMail, enqueueSms } from "../mail/outbox";
import { accountDeletedNotice, appUrl, codeSms, signUpMail } from "../mail/templates";
import { createLinkToken } from "../verification/links";
import { eraseAccount } from "../users/erase";
import { issueCode } from "../verification/codes";
import { accountRequester } from "../verification/requester";
import { assertAnotherActiveAdmin, lockAdminRoster } from "../users/roster";
import type { RequestContext } from "../request-context";
import { disableTwoStep } from "../two-step/two-step";

// DECISIONS.md §6. Every admin action is one transaction that (1) takes the admin-roster lock, so
// admin actions run one at a time and "is this the last admin?" cannot race, (2) re-reads the
// acting admin, who must still be an active ADMIN at that moment, (3) changes the target and
// (4) writes the audit event with the acting admin as actor. The caller's role is never taken
// from the request: a demoted or deactivated admin is refused even with a page still open.
// Actions that end access, change privileges or destroy data also need the admin's session to
// have confirmed who is at it within the last 10 minutes, the same rule as a person's own email
// change (lib/auth/recent-sign-in.ts; ADR 0073): a stolen or unattended admin session alone cannot
// take over or wipe accounts.

/** The acting admin: their user id and when their session last proved who is at it. */
export type AdminActor = { id: string; authenticatedAt: Date };

type AdminActionInput = { actor: AdminActor; userId: string; context?: Partial<RequestContext> };

async function asActiveAdmin<T>(
  actor: AdminActor,
  userId: string,
  work: (tx: Tx, target: User) => Promise<T>,
  { confirmed }: { confirmed: boolean } = { confirmed: true },
): Promise<T> {
  return prisma.$transaction(async (tx) => {
    await lockAdminRoster(tx);
    const current = await tx.user.findUnique({ where: { id: actor.id }, select: { role: true, isActive: true } });
    // The same answer as a non-admin opening an admin page: nothing to see here.
    if (!current || current.role !== "ADMIN" || !current.isActive) throw notFound();
    if (confirmed) assertRecentSignIn(actor);
    const target = await tx.user.findUnique({ where: { id: userId } });
    if (!target) throw notFound("No such user.");
    return work(tx, target);
  });
}

/** Deactivates the account: it cannot sign in, and every session (browser and API) ends now. */
export async function deactivateUser({ actor, userId, context }: AdminActionInput): Promise<{ sessionsEnded: number }> {
  return asActiveAdmin(actor, userId, async (tx, target) => {
    if (!target.isActive) throw new AppError("already_inactive", "This account is already deactivated.", 409);
    await assertAnotherActiveAdmin(tx, target);
    await tx.user.update({ where: { id: userId }, data: { isActive: false } });
    const sessionsEnded = await revokeAllSessions(userId, tx);
    await recordAudit({ action: "admin.user_deactivated", userId, actorId: actor.id, context, metadata: { sessionsEnded } }, tx);
    return { sessionsEnded };
  });
}

export async function reactivateUser({ actor, userId, context }: AdminActionInput): Promise<void> {
  await asActiveAdmin(actor, userId, async (tx, target) => {
    if (target.isActive) throw new AppError("already_active", "This account is already active.", 409);
    await tx.user.update({ where: { id: userId }, data: { isActive: true } });
    await recordAudit({ action: "admin.user_reactivated", userId, actorId: actor.id, context }, tx);
  });
}

export async function changeRole({ actor, userId, context, role }: AdminActionInput & { role: Role }): Promise<void> {
  await asActiveAdmin(actor, userId, async (tx, target) => {
    if (target.role === role) throw new AppError("role_unchanged", `This account's role is already ${role}.`, 409);
    if (role !== "ADMIN") await assertAnotherActiveAdmin(tx, target);
    await tx.user.update({ where: { id: userId }, data: { role } });
    await recordAudit({ action: "admin.role_changed", userId, actorId: actor.id, context, metadata: { from: target.role, to: role } }, tx);
  });
}

/** Revokes one of the user's devices: its sessions end and its keys are deleted (lib/devices/devices.ts). */
export async function revokeUserDevice({ actor, userId, context, deviceId }: AdminActionInput & { deviceId: string }): Promise<void> {
  await asActiveAdmin(actor, userId, (tx) => revokeDevice({ userId, deviceId, actorId: actor.id, context }, tx));
}

/**
 * Sends the sign-up verification again to the account's unverified contact: a code and a link by
 * mail, or a code by SMS. The usual resend cooldown and hourly cap apply.
 */
export async function resendVerification({ actor, userId, context }: AdminActionInput): Promise<{ channel: "EMAIL" | "SMS" }> {
  // Only repeats what sign-up already sent, to the person's own contact: no confirmation needed.
  // Charged to the admin, who acts for the person: strangers' requests do not refuse it.
  const requester = accountRequester(actor.id, true);
  const channel = await asActiveAdmin(actor, userId, async (tx, target) => {
    if (target.email && !target.emailVerified) {
      const { code } = await issueCode(tx, { channel: "EMAIL", destination: target.email, purpose: "SIGNUP", userId, requester });
      const token = await createLinkToken(tx, { purpose: "EMAIL_VERIFICATION", userId, email: target.email });
      await enqueueMail(tx, signUpMail(target.email, code, appUrl(`/verify-email/${token}`)));
      await recordAudit({ action: "admin.verification_resent", userId, actorId: actor.id, context, metadata: { channel: "EMAIL" } }, tx);
      return "EMAIL" as const;
    }
    if (target.phoneNumber && !target.phoneVerified) {
      const { code } = await issueCode(tx, { channel: "SMS", destination: target.phoneNumber, purpose: "SIGNUP", userId, requester });
      await enqueueSms(tx, { to: target.phoneNumber, text: codeSms(code) }, { requester: requester.key });
      await recordAudit({ action: "admin.verification_resent", userId, actorId: actor.id, context, metadata: { channel: "SMS" } }, tx);
      return "SMS" as const;
    }
    throw new AppError("nothing_to_verify", "This account has no unverified email address or phone number.", 409);
  }, { confirmed: false });
  deliverOutboxSoon();
  return { channel };
}

/** Deletes the account (lib/account/delete-account.ts); the person is told at their address. */
export async function deleteUser({ actor, userId, context }: AdminActionInput): Promise<void> {
  await asActiveAdmin(actor, userId, async (tx, target) => {
    await assertAnotherActiveAdmin(tx, target);
    await eraseAccount(tx, target, accountDeletedNotice(), { action: "admin.user_deleted", actorId: actor.id, context });
  });
  deliverOutboxSoon();
}

/**
 * Turns off two-step verification for a person who lost both their authenticator app and their
 * recovery codes, after the admin checked who they are out of band (docs/security.md). Audited
 * as the admin's action; the owner is told by mail.
 */
export async function turnOffUserTwoStep({ actor, userId, context }: AdminActionInput): Promise<void> {
  await asActiveAdmin(actor, userId, async (tx) => {
    if (!(await disableTwoStep(tx, userId, context ?? {}, actor.id))) {
      throw new AppError("two_step_not_on", "Two-step verification is not on for this account.", 409);
    }
  });
  deliverOutboxSoon();
}

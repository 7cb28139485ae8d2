import { prisma, type Tx } from "../db";
import { AppError } from "../errors";
import { consumeLinkToken, createLinkToken } from "../verification/links";
import { recordAudit } from "../audit";
import { revokeAllSessions } from "../auth/sessions";
import { revokeDevice } from "../devices/devices";
import { deliverOutboxSoon, enqueueMail, enqueueNoticeSms } from "../mail/outbox";
import { notifyAccountHolder } from "../users/notify";
import { removePasskeysForRecovery } from "../passkeys/removal";
import { issueCode, issueWithheldCode, requireCode, spendCode } from "../verification/codes";
import { accountRequester } from "../verification/requester";
import { hitWindow } from "../rate-limit";
import { CONTACT_CHANGE_REQUESTS } from "../limits";
import type { RequestContext } from "../request-context";
import {
  emailAddedSms,
  emailChangeCodeMail,
  emailChangedMail,
  emailChangeRevertedNotice,
  emailChangeRevertUrl,
  emailChangeTakenMail,
  type RevertSummary,
} from "../mail/templates";
import { assertRecentSignIn, type SessionRef } from "../auth/recent-sign-in";
import { isUniqueViolation } from "../db/unique-violation";
import { lockUser } from "../users/lock";
import { evictUnconfirmedSignUp, findOwner } from "../users/unconfirmed";

const emailUnavailable = () =>
  new AppError("email_unavailable", "That address cannot be used for your account. Choose another one.", 409, { field: "email" });

/**
 * Step 1: after a recent sign-in, sends a code to the new address and keeps it as pending. An
 * address that belongs to another account is answered exactly alike (same checks, a withheld code
 * issued, one mail to that address — a notice instead of the code), so the answer reveals nothing.
 */
export async function requestEmailChange(session: SessionRef, newEmail: string): Promise<{ pendingEmail: string }> {
  assertRecentSignIn(session);
  await prisma.$transaction(async (tx) => {
    const user = await lockUser(tx, session.userId);
    if (user.email === newEmail) throw new AppError("same_email", "That is already your address.", 400, { field: "email" });
    await hitWindow(`settings:email-change:${user.id}`, CONTACT_CHANGE_REQUESTS, tx);
    // A sign-up nobody confirmed does not own the address (ADR 0075): the code goes out.
    const owner = await findOwner(tx, { email: newEmail });
    const codeInput = { channel: "EMAIL", destination: newEmail, purpose: "EMAIL_CHANGE", userId: user.id, requester: accountRequester(user.id, false) } as const;
    // A taken address gets a withheld code: its code step answers like a free one's (docs/decisions/0020).
    const issued = owner ? { ...(await issueWithheldCode(tx, codeInput)), code: null } : await issueCode(tx, codeInput);
    await tx.user.update({ where: { id: user.id }, data: { pendingEmail: newEmail, pendingEmailExpiry: issued.expiresAt } });
    await enqueueMail(tx, issued.code === null ? emailChangeTakenMail(newEmail) : emailChangeCodeMail(newEmail, issued.code));
  });
  deliverOutboxSoon();
  return { pendingEmail: newEmail };
}

/** The address waiting for its code, if its code is still valid. */
export function pendingEmailOf(user: { pendingEmail: string | null; pendingEmailExpiry: Date | null }): string | null {
  return user.pendingEmail && user.pendingEmailExpiry && user.pendingEmailExpiry > new Date() ? user.pendingEmail : null;
}

/** Drops the address waiting for its code (its code stops working) and audits it, if one was waiting. */
export async function cancelEmailChange(session: SessionRef, context?: Partial<RequestContext>): Promise<void> {
  await prisma.$transaction(async (tx) => {
    const user = await lockUser(tx, session.userId);
    const pending = pendingEmailOf(user);
    await tx.user.update({ where: { id: user.id }, data: { pendingEmail: null, pendingEmailExpiry: null } });
    if (!pending) return;
    const now = new Date();
    await tx.oneTimeCode.updateMany({
      where: { userId: user.id, purpose: "EMAIL_CHANGE", usedAt: null, expiresAt: { gt: now } },
      data: { expiresAt: now },
    });
    await recordAudit({ action: "user.email_change_cancelled", userId: user.id, deviceId: session.deviceId, context, metadata: { to: pending } }, tx);
  });
}

/**
 * Step 2: the code from the new address makes the change, in one transaction: the address, a
 * revert link (7 days) mailed to the old address, or texted to the number of an account that had
 * no address (ADR 0063), and the audit event. The new address
 * is checked under the user's row lock and guarded by the unique constraint, so the change never
 * completes onto an address another account holds, even one taken a moment ago.
 */
export async function confirmEmailChange(
  session: SessionRef,
  code: string,
  context?: Partial<RequestContext>,
): Promise<{ email: string }> {
  const user = await prisma.user.findUniqueOrThrow({ where: { id: session.userId } });
  const newEmail = pendingEmailOf(user);
  if (!newEmail) throw new AppError("no_pending_change", "There is no new address waiting for a code. Enter it again.", 400);
  const proof = await requireCode({ destination: newEmail, purpose: "EMAIL_CHANGE", code, userId: user.id, requester: accountRequester(user.id, false) });

  try {
    await prisma.$transaction(async (tx) => {
      const current = await lockUser(tx, user.id);
      await spendCode(tx, proof);
      if (current.pendingEmail !== newEmail) throw new AppError("no_pending_change", "The address waiting for a code has changed. Enter it again.", 409);
      const evicted = await evictUnconfirmedSignUp(tx, { email: newEmail });
      if (await tx.user.findUnique({ where: { email: newEmail }, select: { id: true } })) throw emailUnavailable();
      await tx.user.update({
        where: { id: user.id },
        data: { email: newEmail, emailVerified: true, pendingEmail: null, pendingEmailExpiry: null },
      });
      // Earlier revert links stay valid: one is the rightful owner's way back if the address
      // was changed twice. The link also remembers the phone number, which a revert restores
      // (ADR 0017); while it is open, every security notice also reaches what it replaced (ADR 0063).
      if (current.email || current.phoneNumber) {
        const token = await createLinkToken(
          tx,
          { purpose: "EMAIL_CHANGE_REVERT", userId: user.id, email: current.email, phoneNumber: current.phoneNumber },
          { voidEarlier: false },
        );
        if (current.email) await enqueueMail(tx, emailChangedMail(current.email, newEmail, token));
        else await enqueueNoticeSms(tx, { to: current.phoneNumber!, text: emailAddedSms(newEmail, emailChangeRevertUrl(token)) });
      }
      await recordAudit(
        {
          action: "user.email_changed",
          userId: user.id,
          deviceId: session.deviceId,
          context,
          metadata: { from: current.email, to: newEmail, ...(evicted ? { unconfirmedSignUpRemoved: true } : {}) },
        },
        tx,
      );
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw emailUnavailable();
    throw error;
  }
  deliverOutboxSoon();
  return { email: newEmail };
}

const invalidRevertLink = () => new AppError("invalid_link", "This link has expired or has already been used.", 400);

/**
 * The link from the old address's notice undoes a takeover, in one transaction: it restores that
 * address (none, for an account that had none) and the phone number the account had when the
 * address was changed, voids every open code and link of the account (resets, sign-ins, changes),
 * ends every session, revokes every device and removes every passkey created since the change
 * (ADR 0064), and tells the restored holder what was undone (ADR 0017). Single use. Revert links from changes made after this one die with it; older
 * ones stay, so whoever changed the address twice cannot use the second notice to void the first
 * (the rightful owner's).
 */
export async function revertEmailChange(token: string, context?: Partial<RequestContext>): Promise<{ email: string | null }> {
  try {
    const email = await prisma.$transaction(async (tx) => {
      const link = await consumeLinkToken(tx, token, "EMAIL_CHANGE_REVERT");
      if (!link) throw invalidRevertLink();
      const user = await lockUser(tx, link.userId);
      // A sign-up started for the old address since the change does not block the way back (ADR 0075).
      const evicted = link.email ? await evictUnconfirmedSignUp(tx, { email: link.email }) : false;
      const owner = link.email ? await tx.user.findUnique({ where: { email: link.email }, select: { id: true } }) : null;
      if (owner && owner.id !== user.id) throw revertUnavailable();
      const phone = await restoredPhone(tx, user, link.phoneNumber);
      await tx.user.update({
        where: { id: user.id },
        data: {
          email: link.email,
          emailVerified: link.email !== null,
          pendingEmail: null,
          pendingEmailExpiry: null,
          ...(phone ? { phoneNumber: phone.restored, phoneVerified: phone.restored !== null } : {}),
        },
      });
      await voidOpenCodesAndLinks(tx, user.id, link);
      const sessionsEnded = await revokeAllSessions(user.id, tx);
      const devices = await tx.device.findMany({
        where: { userId: user.id, revoked: false, createdAt: { gte: link.createdAt } },
        select: { id: true, name: true },
      });
      for (const device of devices) await revokeDevice({ userId: user.id, deviceId: device.id, context }, tx);
      const passkeys = await removePasskeysForRecovery(tx, { userId: user.id, since: link.createdAt, reason: "email_change_reverted", context });
      const undone: RevertSummary = {
        restoredEmail: link.email,
        replacedEmail: user.email === link.email ? null : user.email,
        phone,
        revokedDevices: devices.map((device) => device.name),
        removedPasskeys: passkeys,
        sessionsEnded,
      };
      await recordAudit(
        {
          action: "user.email_change_reverted",
          userId: user.id,
          context,
          metadata: {
            from: user.email,
            to: link.email,
            sessionsEnded,
            devicesRevoked: devices.length,
            passkeysRemoved: passkeys.length,
            phoneRestored: phone !== null,
            ...(evicted ? { unconfirmedSignUpRemoved: true } : {}),
          },
        },
        tx,
      );
      const restored = await tx.user.findUniqueOrThrow({ where: { id: user.id } });
      await notifyAccountHolder(tx, restored, emailChangeRevertedNotice(undone));
      return link.email;
    });
    deliverOutboxSoon();
    return { email };
  } catch (error) {
    if (isUniqueViolation(error)) throw revertUnavailable();
    throw error;
  }
}

/**
 * The phone number to put back, or null when it has not changed since the revert link was made.
 * A number that meanwhile belongs to another account cannot come back: the account then keeps
 * none, rather than the one set since.
 */
async function restoredPhone(
  tx: Tx,
  user: { id: string; phoneNumber: string | null },
  before: string | null,
): Promise<RevertSummary["phone"]> {
  if (user.phoneNumber === before) return null;
  if (before) await evictUnconfirmedSignUp(tx, { phoneNumber: before });
  const holder = before ? await tx.user.findUnique({ where: { phoneNumber: before }, select: { id: true } }) : null;
  return { restored: holder ? null : before, replaced: user.phoneNumber };
}

/**
 * Every code and link of the account stops working (resets, sign-ins, sign-ups, changes), except
 * revert links older than this one: the rightful owner's way back if the address changed twice.
 */
async function voidOpenCodesAndLinks(tx: Tx, userId: string, revert: { id: string; createdAt: Date }): Promise<void> {
  const now = new Date();
  await tx.oneTimeCode.updateMany({ where: { userId, usedAt: null, expiresAt: { gt: now } }, data: { expiresAt: now } });
  await tx.linkToken.updateMany({
    where: {
      userId,
      usedAt: null,
      expiresAt: { gt: now },
      id: { not: revert.id },
      NOT: { purpose: "EMAIL_CHANGE_REVERT", createdAt: { lt: revert.createdAt } },
    },
    data: { expiresAt: now },
  });
}

const revertUnavailable = () =>
  new AppError("email_unavailable", "That address now belongs to another account, so it cannot be restored. Contact support.", 409);

import { prisma, type Tx } from "../db";
import { AppError } from "../errors";
import { consumeLinkToken, createLinkToken } from "../verification/links";
import { recordAudit } from "../audit";
import { revokeAllSessions } from "../auth/sessions";
import { revokeDevice } from "../devices/devices";
import { deliverOutboxSoon, enqueueMail, enqueueNoticeSms } from "../mail/outbox";
import { notifyAccountHolder } from "../users/notify";
import { removePasskeysForRecovery } from "../passkeys/removal";
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
import type { SessionRef } from "../auth/recent-sign-in";
import { isUniqueViolation } from "../db/unique-violation";
import { lockUser } from "../users/lock";
import { evictUnconfirmedSignUp } from "../users/unconfirmed";
import { cancelContactChange, confirmContactChange, pendingContactOf, requestContactChange, type ContactKind } from "./contact-change";

const EMAIL: ContactKind = {
  purpose: "EMAIL_CHANGE",
  channel: "EMAIL",
  field: "email",
  noun: "address",
  current: (user) => user.email,
  holder: (email) => ({ email }),
  verified: (email) => ({ email, emailVerified: true }),
  windowKey: (userId) => `settings:email-change:${userId}`,
  cancelled: "user.email_change_cancelled",
  changed: "user.email_changed",
};

/**
 * Step 1: after a recent sign-in, sends a code to the new address, which then waits for it. A
 * taken address is answered exactly alike: its holder gets a notice instead of the code.
 */
export async function requestEmailChange(session: SessionRef, newEmail: string): Promise<{ pendingEmail: string }> {
  await requestContactChange(EMAIL, session, newEmail, (tx, to, code) =>
    enqueueMail(tx, code === null ? emailChangeTakenMail(to) : emailChangeCodeMail(to, code)),
  );
  return { pendingEmail: newEmail };
}

/** The address waiting for its code, if its code is still valid. */
export function pendingEmailOf(userId: string, db: Tx = prisma): Promise<string | null> {
  return pendingContactOf(EMAIL, userId, db);
}

/** Drops the address waiting for its code (its code stops working) and audits it, if one was waiting. */
export async function cancelEmailChange(session: SessionRef, context?: Partial<RequestContext>): Promise<void> {
  await cancelContactChange(EMAIL, session, context);
}

/**
 * Step 2: the code from the new address makes the change, in one transaction: the address, a
 * revert link (7 days) mailed to the old address, or texted to the number of an account that had
 * no address (ADR 0063), and the audit event.
 */
export async function confirmEmailChange(
  session: SessionRef,
  code: string,
  context?: Partial<RequestContext>,
): Promise<{ email: string }> {
  const email = await confirmContactChange(EMAIL, session, code, context, async (tx, before, newEmail) => {
    // Earlier revert links stay valid: one is the rightful owner's way back if the address
    // was changed twice. The link also remembers the phone number, which a revert restores
    // (ADR 0017); while it is open, every security notice also reaches what it replaced (ADR 0063).
    if (!before.email && !before.phoneNumber) return;
    const token = await createLinkToken(
      tx,
      { purpose: "EMAIL_CHANGE_REVERT", userId: before.id, email: before.email, phoneNumber: before.phoneNumber },
      { voidEarlier: false },
    );
    if (before.email) await enqueueMail(tx, emailChangedMail(before.email, newEmail, token));
    else await enqueueNoticeSms(tx, { to: before.phoneNumber!, text: emailAddedSms(newEmail, emailChangeRevertUrl(token)) });
  });
  return { email };
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

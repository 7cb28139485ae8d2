import { prisma } from "../db";
import { AppError } from "../errors";
import { consumeLinkToken, createLinkToken } from "../accounts/link-tokens";
import { recordAudit } from "../audit";
import { revokeAllSessions } from "../auth/sessions";
import { deliverOutboxSoon, enqueueMail } from "../mail/outbox";
import { issueCode, issueWithheldCode, verifyCode } from "../otp";
import { hitWindow } from "../rate-limit";
import type { RequestContext } from "../request-context";
import { codeFailureError } from "../accounts/code-errors";
import { emailChangeCodeMail, emailChangedMail, emailChangeTakenMail } from "../mail/templates";
import { assertRecentSignIn, type SessionRef } from "./reauthenticate";
import { isUniqueViolation } from "./unique-violation";
import { lockUser } from "./lock-user";

/** Different new addresses one account may ask for in an hour (each also has the per-address limits). */
const REQUESTS_PER_HOUR = 10;

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
    await hitWindow(`settings:email-change:${user.id}`, { limit: REQUESTS_PER_HOUR, windowSeconds: 3600 }, tx);
    const owner = await tx.user.findUnique({ where: { email: newEmail }, select: { id: true } });
    const codeInput = { channel: "EMAIL", destination: newEmail, purpose: "EMAIL_CHANGE", userId: user.id } as const;
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

export async function cancelEmailChange(userId: string): Promise<void> {
  await prisma.user.update({ where: { id: userId }, data: { pendingEmail: null, pendingEmailExpiry: null } });
}

/**
 * Step 2: the code from the new address makes the change, in one transaction: the address, a
 * revert link for the old address (7 days) with its notice, and the audit event. The new address
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
  const result = await verifyCode({ destination: newEmail, purpose: "EMAIL_CHANGE", code });
  if (!result.ok) throw codeFailureError(result);
  if (result.userId !== user.id) throw codeFailureError({ reason: "none" });

  try {
    await prisma.$transaction(async (tx) => {
      const current = await lockUser(tx, user.id);
      if (current.pendingEmail !== newEmail) throw new AppError("no_pending_change", "The address waiting for a code has changed. Enter it again.", 409);
      if (await tx.user.findUnique({ where: { email: newEmail }, select: { id: true } })) throw emailUnavailable();
      await tx.user.update({
        where: { id: user.id },
        data: { email: newEmail, emailVerified: true, pendingEmail: null, pendingEmailExpiry: null },
      });
      if (current.email) {
        // Earlier revert links stay valid: one is the rightful owner's way back if the address
        // was changed twice.
        const token = await createLinkToken(
          tx,
          { purpose: "EMAIL_CHANGE_REVERT", userId: user.id, email: current.email },
          { voidEarlier: false },
        );
        await enqueueMail(tx, emailChangedMail(current.email, newEmail, token));
      }
      await recordAudit(
        { action: "user.email_changed", userId: user.id, deviceId: session.deviceId, context, metadata: { from: current.email, to: newEmail } },
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
 * The link from the old address's notice: restores that address and signs out every session of
 * the account, in one transaction. Single use. Revert links from changes made after this one die
 * with it; older ones stay, so whoever changed the address twice cannot use the second notice to
 * void the first (the rightful owner's).
 */
export async function revertEmailChange(token: string, context?: Partial<RequestContext>): Promise<{ email: string }> {
  try {
    return await prisma.$transaction(async (tx) => {
      const link = await consumeLinkToken(tx, token, "EMAIL_CHANGE_REVERT");
      if (!link?.email) throw invalidRevertLink();
      const user = await lockUser(tx, link.userId);
      const owner = await tx.user.findUnique({ where: { email: link.email }, select: { id: true } });
      if (owner && owner.id !== user.id) throw revertUnavailable();
      await tx.user.update({
        where: { id: user.id },
        data: { email: link.email, emailVerified: true, pendingEmail: null, pendingEmailExpiry: null },
      });
      await tx.linkToken.updateMany({
        where: { userId: user.id, purpose: "EMAIL_CHANGE_REVERT", usedAt: null, createdAt: { gt: link.createdAt } },
        data: { usedAt: new Date() },
      });
      const sessionsEnded = await revokeAllSessions(user.id, tx);
      await recordAudit(
        { action: "user.email_change_reverted", userId: user.id, context, metadata: { from: user.email, to: link.email, sessionsEnded } },
        tx,
      );
      return { email: link.email };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw revertUnavailable();
    throw error;
  }
}

const revertUnavailable = () =>
  new AppError("email_unavailable", "That address now belongs to another account, so it cannot be restored. Contact support.", 409);

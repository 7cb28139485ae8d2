import { prisma, type Tx } from "../db";
import type { User } from "../generated/prisma/client";
import { recordAudit, type AuditAction } from "../audit";
import { codeFailureError } from "./code-errors";
import { assertAnotherActiveAdmin, lockAdminRoster } from "../admin/roster";
import { AppError } from "../errors";
import { deliverOutboxSoon, notifyAccountHolder } from "../mail/outbox";
import { ownAccountDeletedNotice, type AccountNotice } from "../mail/templates";
import { verifyCode } from "../otp";
import type { RequestContext } from "../request-context";
import { assertRecentSignIn } from "../settings/reauthenticate";
import { deleteAccountSchema } from "../settings/schemas";

// Deleting an account (issue 13): by its owner in the browser (after a recent sign-in and a typed
// confirmation), by a messaging client (with a fresh code), or by an admin. One transaction:
// the last notice is queued, the audit rows that must be kept lose everything that names the
// person, and the user row goes, taking by cascade its devices (and their keys), sessions,
// passkeys, codes and links. A claim that holds a device's row waits for it, or the deletion
// waits for the claim: no key of the account is served once it is gone.

/**
 * Erases `user` in `tx` and records `audit` with no subject. Their remaining audit rows keep the
 * action, time, address and device (a security record) but lose their metadata, which may hold
 * addresses, names or numbers; the subject column then empties by its foreign key.
 */
export async function eraseAccount(
  tx: Tx,
  user: User,
  notice: AccountNotice,
  audit: { action: AuditAction; actorId?: string; context?: Partial<RequestContext> },
): Promise<void> {
  await notifyAccountHolder(tx, user, notice);
  await tx.$executeRaw`UPDATE audit_events SET metadata = '{}'::jsonb, user_agent = NULL WHERE user_id = ${user.id}::uuid`;
  await tx.user.delete({ where: { id: user.id } });
  await recordAudit({ action: audit.action, actorId: audit.actorId, context: audit.context }, tx);
}

async function deleteOwn(userId: string, context: Partial<RequestContext>): Promise<void> {
  await prisma.$transaction(async (tx) => {
    await lockAdminRoster(tx);
    const user = await tx.user.findUniqueOrThrow({ where: { id: userId } });
    await assertAnotherActiveAdmin(tx, user);
    await eraseAccount(tx, user, ownAccountDeletedNotice(), { action: "account.deleted", context });
  });
  deliverOutboxSoon();
}

/** The browser: a sign-in within the last 10 minutes, and the confirmation typed. */
export async function deleteOwnAccount(
  session: { userId: string; authenticatedAt: Date },
  input: { confirmation: string },
  context: Partial<RequestContext>,
): Promise<void> {
  assertRecentSignIn(session);
  const typed = deleteAccountSchema.safeParse(input);
  if (!typed.success) throw new AppError("confirmation_mismatch", typed.error.issues[0]!.message, 400, { field: "confirmation" });
  await deleteOwn(session.userId, context);
}

/**
 * A messaging client (DELETE /api/account): a sign-in code just sent to the account's address (or
 * number, without one) proves it is the owner; a wrong one counts toward the usual lockout.
 */
export async function deleteOwnAccountWithCode(session: { userId: string }, code: string, context: Partial<RequestContext>): Promise<void> {
  const user = await prisma.user.findUniqueOrThrow({ where: { id: session.userId }, select: { email: true, phoneNumber: true } });
  const destination = user.email ?? user.phoneNumber;
  if (!destination) throw new AppError("no_destination", "This account has no address or number to send a code to.", 400);
  const result = await verifyCode({ destination, purpose: "SIGNIN", code });
  if (!result.ok) throw codeFailureError(result);
  await deleteOwn(session.userId, context);
}

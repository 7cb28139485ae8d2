import { prisma } from "../db";
import { eraseAccount } from "../users/erase";
import { assertAnotherActiveAdmin, lockAdminRoster } from "../users/roster";
import { AppError, unauthorized } from "../errors";
import { deliverOutboxSoon } from "../mail/outbox";
import { ownAccountDeletedNotice } from "../mail/templates";
import { requireCode, spendCode, type CodeProof } from "../verification/codes";
import { accountRequester } from "../verification/requester";
import { lockUserIfExists } from "../users/lock";
import { retryWriteConflicts } from "../db/write-conflict";
import type { RequestContext } from "../request-context";
import { assertRecentSignIn } from "../auth/recent-sign-in";
import { deleteAccountSchema } from "../validation/account-deletion";

// Deleting an account (issue 13): by its owner in the browser (after a recent sign-in and a typed
// confirmation), by a messaging client (with a fresh code), or by an admin. One transaction:
// the last notice is queued, the audit rows that must be kept lose everything that names the
// person, and the user row goes, taking by cascade its devices (and their keys), sessions,
// passkeys, codes and links. A claim that holds a device's row waits for it, or the deletion
// waits for the claim: no key of the account is served once it is gone.

// The user row is locked first, before any row of the account's devices, keys or sessions: key
// uploads take it first too (ADR 0067), so a deletion and an upload queue instead of deadlocking.
async function deleteOwn(userId: string, context: Partial<RequestContext>, proof?: CodeProof): Promise<void> {
  await retryWriteConflicts(() =>
    prisma.$transaction(async (tx) => {
      await lockAdminRoster(tx);
      const user = await lockUserIfExists(tx, userId);
      if (!user) throw unauthorized("This account no longer exists.");
      if (proof) await spendCode(tx, proof);
      await assertAnotherActiveAdmin(tx, user);
      await eraseAccount(tx, user, ownAccountDeletedNotice(), { action: "account.deleted", context });
    }),
  );
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
  const user = await prisma.user.findUnique({ where: { id: session.userId }, select: { email: true, phoneNumber: true } });
  if (!user) throw unauthorized("This account no longer exists.");
  const destination = user.email ?? user.phoneNumber;
  if (!destination) throw new AppError("no_destination", "This account has no address or number to send a code to.", 400);
  // Checked before the deletion and spent by it: a deletion that fails leaves the code good.
  const proof = await requireCode({ destination, purpose: "SIGNIN", code, requester: accountRequester(session.userId, true) });
  await deleteOwn(session.userId, context, proof);
}

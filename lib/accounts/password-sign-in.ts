import { prisma } from "../db";
import { recordAudit } from "../audit";
import { runAfterAnswer } from "../after-answer";
import { AppError } from "../errors";
import { hashPassword, verifyAgainstDummy, verifyPassword } from "../auth/password";
import { reservePasswordGuess } from "../auth/password-guesses";
import type { RequestContext } from "../request-context";
import { accountDeactivated, invalidCredentials } from "./account-errors";
import { signInBrowserAfter, type BrowserSignIn } from "./browser-sign-in";
import { isDueForPromotion, promoteIfAdminEmail } from "./admin-promotion";
import { emailContact, findUserByContact, isContactVerified, type Contact } from "./contact";

/**
 * Checks a password for the account at `contact`. Unknown accounts and accounts without a password
 * cost the same argon2 verification, so timing does not tell them apart. A seed-format bcrypt hash
 * is replaced by argon2id on success.
 */
export async function verifyPasswordSignInFor(contact: Contact, password: string, context: RequestContext): Promise<{ userId: string }> {
  const release = await reservePasswordGuess(contact.destination, context.ip);
  const user = await findUserByContact(prisma, contact);
  const check = user?.password ? await verifyPassword(user.password, password) : { ok: await verifyAgainstDummy(password), needsUpgrade: false };
  if (user && check.ok) await release();
  if (!user || !check.ok) {
    // Every failure is recorded after the answer, for an unknown account too (no subject: the
    // admin still sees the address it came from): the same deferred write on both sides, so
    // neither the answer's time nor the work that follows it tells them apart (issue 16).
    runAfterAnswer("failed sign-in audit", () =>
      recordAudit({ action: "user.sign_in_failed", userId: user?.id ?? null, context, metadata: { method: "password" } }),
    );
    throw invalidCredentials();
  }
  if (!user.isActive) throw accountDeactivated();
  if (!isContactVerified(user, contact)) {
    throw new AppError("contact_not_verified", "Confirm your address first: sign in with a code, and we will verify it.", 403);
  }
  const upgradedHash = check.needsUpgrade ? await hashPassword(password) : null;
  // Most sign-ins have neither to do: no empty transaction (two round trips) for them.
  if (!upgradedHash && !isDueForPromotion(user)) return { userId: user.id };
  await prisma.$transaction(async (tx) => {
    if (upgradedHash) {
      // Only if the hash is still the bcrypt one we checked: a concurrent password change wins.
      await tx.user.updateMany({ where: { id: user.id, password: user.password }, data: { password: upgradedHash } });
    }
    await promoteIfAdminEmail(tx, user, context);
  });
  return { userId: user.id };
}

/** The messaging-client API's password sign-in (POST /api/auth/token with a password). */
export async function verifyPasswordSignIn(input: { email: string; password: string }, context: RequestContext): Promise<{ userId: string }> {
  return verifyPasswordSignInFor(emailContact(input.email), input.password, context);
}

/** Browser sign-in by email or phone number and password. */
export async function signInWithPassword(
  input: { contact: Contact; password: string; browserKey?: string | null },
  context: RequestContext,
): Promise<BrowserSignIn> {
  const { userId } = await verifyPasswordSignInFor(input.contact, input.password, context);
  return signInBrowserAfter(async () => ({ userId }), { browserKey: input.browserKey, context });
}

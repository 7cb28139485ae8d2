import { prisma, type Tx } from "../db";
import { recordAudit } from "../audit";
import { runAfterAnswer } from "../after-answer";
import { assertPasswordAllowed, hashPassword } from "../auth/password";
import { revokeAllSessions } from "../auth/sessions";
import { AppError } from "../errors";
import { deliverOutboxSoon, enqueueMail } from "../mail/outbox";
import { appUrl, deactivatedAccountMail, noAccountResetMail, passwordResetMail, passwordResetNotice } from "../mail/templates";
import { notifyAccountHolder } from "../users/notify";
import { revokeClientDevicesWithoutSession } from "../devices/devices";
import { passkeysOf, removePasskeysForRecovery, type RemovedPasskey } from "../passkeys/removal";
import { issueCode, issueWithheldCode, requireCode, spendCode } from "../verification/codes";
import { consumeBurst } from "../rate-limit";
import { IP_LIMITS } from "../limits";
import type { RequestContext } from "../request-context";
import { signInBrowserAfter, type BrowserSignIn, type SignInNotice } from "./browser-sign-in";
import { codeFailureError } from "../verification/errors";
import { contactCodeRequester, emailContact, findUserByContact } from "./contact";
import { consumeLinkToken, createLinkToken, usableLinkTokenUserId } from "../verification/links";
import { rateLimitSubject } from "../http/client-address";
import { networkRequester } from "../verification/requester";
import { checkSecondFactor, isTwoStepOn, type SecondFactor } from "../two-step/two-step";


/**
 * Mails a reset code and link to an account's address. Every address gets one mail and the same
 * answer: unknown addresses are told no account uses them, deactivated ones that theirs is
 * deactivated. Both get a withheld code, so the code step answers as it does for an account, and
 * the answer waits for the same statements on every side: the link and the mail follow it.
 */
export async function requestPasswordReset(input: { email: string }, context: RequestContext): Promise<void> {
  await consumeBurst(`reset:ip:${rateLimitSubject(context.ip)}`, IP_LIMITS.resetRequests);
  const reset = await prisma.$transaction(async (tx) => {
    const user = await findUserByContact(tx, emailContact(input.email));
    const requester = await networkRequester(tx, context.ip, user?.id);
    const codeInput = { channel: "EMAIL", destination: input.email, purpose: "PASSWORD_RESET", userId: user?.id, requester } as const;
    if (!user || !user.isActive) {
      await issueWithheldCode(tx, codeInput);
      return { kind: "notice", mail: user ? deactivatedAccountMail(input.email) : noAccountResetMail(input.email) } as const;
    }
    const { code } = await issueCode(tx, codeInput);
    return { kind: "code", userId: user.id, code } as const;
  });
  runAfterAnswer("reset mail", async () => {
    await prisma.$transaction(async (tx) => {
      if (reset.kind === "notice") return enqueueMail(tx, reset.mail);
      const token = await createLinkToken(tx, { purpose: "PASSWORD_RESET", userId: reset.userId, email: input.email });
      await enqueueMail(tx, passwordResetMail(input.email, reset.code, appUrl(`/reset/${token}`)));
    });
    deliverOutboxSoon();
  });
}

/**
 * Sets the new password, ends every session of the account (this browser then gets a new one),
 * revokes the messaging devices left without a session (ADR 0065), removes every passkey when
 * asked (ADR 0064), and tells the holder what was removed. Receiving the reset mail proves the address, so it counts as verified. A
 * reset works only while the account still has the address it was mailed to: once an address
 * change is undone, a reset sent to the address it had been changed to is worthless (ADR 0017).
 */
async function applyNewPassword(
  tx: Tx,
  input: { userId: string; sentTo: string; passwordHash: string; removePasskeys: boolean },
  context: RequestContext,
): Promise<{ userId: string; notice: SignInNotice }> {
  const { userId, passwordHash } = input;
  const user = await tx.user.findUnique({ where: { id: userId } });
  if (!user?.email || !user.isActive || user.email !== input.sentTo) throw invalidReset();
  await tx.user.update({
    where: { id: userId },
    data: { password: passwordHash, passwordChangedAt: new Date(), emailVerified: true },
  });
  const ended = await revokeAllSessions(userId, tx);
  const now = new Date();
  await tx.oneTimeCode.updateMany({ where: { userId, purpose: "PASSWORD_RESET", usedAt: null }, data: { usedAt: now } });
  await tx.linkToken.updateMany({ where: { userId, purpose: "PASSWORD_RESET", usedAt: null }, data: { usedAt: now } });
  const devices = await revokeClientDevicesWithoutSession(tx, { userId, context });
  const passkeys = input.removePasskeys ? await removePasskeysForRecovery(tx, { userId, reason: "password_reset", context }) : [];
  await recordAudit(
    { action: "user.password_reset", userId, context, metadata: { sessionsEnded: ended, devicesRevoked: devices.length, passkeysRemoved: passkeys.length } },
    tx,
  );
  await notifyAccountHolder(tx, user, passwordResetNotice({ passkeys, devices }));
  return { userId, notice: "password-set" };
}

const invalidReset = () => new AppError("invalid_link", "This reset link has expired or was already used. Request a new one.", 400);

async function checkedHash(password: string): Promise<string> {
  assertPasswordAllowed(password);
  return hashPassword(password);
}

/**
 * With two-step verification on, the mailbox alone must not reset anything (attack F5, ADR 0087):
 * the reset form carries the second factor too, checked here before the reset's transaction, so
 * the password, sessions and passkeys change only once both factors are right, and the browser is
 * then signed in without a further step. Returns how many factors the reset proved.
 */
async function proveSecondFactorForReset(userId: string, secondFactor: SecondFactor | undefined, context: RequestContext): Promise<1 | 2> {
  if (!(await isTwoStepOn(userId))) return 1;
  if (!secondFactor) {
    throw new AppError(
      "second_factor_needed",
      "Two-step verification is on for this account: also enter a code from your authenticator app, or a recovery code.",
      400,
      { field: "secondFactor" },
    );
  }
  await checkSecondFactor(userId, secondFactor, context);
  return 2;
}

/** Resets the password with the emailed code (and the second factor, when on) and signs this browser in. */
export async function resetPasswordWithCode(
  input: { email: string; code: string; password: string; secondFactor?: SecondFactor; browserKey?: string | null },
  context: RequestContext,
): Promise<BrowserSignIn> {
  // The new password is checked first, so a refused password does not use up the code.
  const passwordHash = await checkedHash(input.password);
  const requester = await contactCodeRequester(prisma, emailContact(input.email), context.ip);
  const proof = await requireCode({ destination: input.email, purpose: "PASSWORD_RESET", code: input.code, requester });
  const userId = proof.userId;
  if (!userId) throw codeFailureError({ reason: "none" });
  // Asked only once the code is right, so whether an account has two-step on shows to its mailbox alone.
  const factors = await proveSecondFactorForReset(userId, input.secondFactor, context);
  return signInBrowserAfter(
    async (tx) => {
      await spendCode(tx, proof);
      return applyNewPassword(tx, { userId, sentTo: input.email, passwordHash, removePasskeys: false }, context);
    },
    { browserKey: input.browserKey, context, factors },
  );
}

/**
 * What a reset link's form shows: the passkeys it offers to remove (names and dates) and whether
 * it must ask for the second factor; null when the link no longer works. Read without using the link.
 */
export async function resetLinkForm(token: string): Promise<{ passkeys: RemovedPasskey[]; twoStepOn: boolean } | null> {
  const userId = await usableLinkTokenUserId(token, "PASSWORD_RESET");
  if (!userId) return null;
  const [passkeys, twoStepOn] = await Promise.all([passkeysOf(prisma, userId), isTwoStepOn(userId)]);
  return { passkeys, twoStepOn };
}

/**
 * Resets the password with the emailed link (and the second factor, when on) and signs this
 * browser in; removes every passkey when asked.
 */
export async function resetPasswordWithLink(
  input: { token: string; password: string; removePasskeys?: boolean; secondFactor?: SecondFactor; browserKey?: string | null },
  context: RequestContext,
): Promise<BrowserSignIn> {
  const passwordHash = await checkedHash(input.password);
  const userId = await usableLinkTokenUserId(input.token, "PASSWORD_RESET");
  if (!userId) throw invalidReset();
  const factors = await proveSecondFactorForReset(userId, input.secondFactor, context);
  return signInBrowserAfter(
    async (tx) => {
      const link = await consumeLinkToken(tx, input.token, "PASSWORD_RESET");
      if (!link?.email || link.userId !== userId) throw invalidReset();
      return applyNewPassword(tx, { userId, sentTo: link.email, passwordHash, removePasskeys: input.removePasskeys ?? false }, context);
    },
    { browserKey: input.browserKey, context, factors },
  );
}

import { prisma, type Tx } from "../db";
import type { User } from "../generated/prisma/client";
import { recordAudit } from "../audit";
import { assertPasswordAllowed, hashPassword } from "../auth/password";
import { hashToken, safeEqual } from "../crypto";
import { AppError } from "../errors";
import { deliverOutboxSoon, enqueueMail, enqueueSms } from "../mail/outbox";
import { alreadyRegisteredMail, alreadyRegisteredSms, appUrl, codeSms, signUpMail } from "../mail/templates";
import { consumeSendAllowance, issueCode, verifyCode } from "../otp";
import { consumeBurst } from "../rate-limit";
import type { RequestContext } from "../request-context";
import { accountDeactivated } from "./account-errors";
import { signInBrowserAfter, type BrowserSignIn, type SignInNotice } from "./browser-sign-in";
import { codeFailureError } from "./code-errors";
import { contactFields, findUserByContact, isContactVerified, verifiedFlag, type Contact } from "./contact";
import { consumeLinkToken, createLinkToken } from "./link-tokens";

/** Sign-ups per IP across all addresses. */
const SIGN_UPS_PER_IP = { burst: 20, perSeconds: 10 } as const;

/** A new sign-up's password (argon2 hash) and the browser that chose it, or "keep" the pending one's. */
type PasswordChoice = { kind: "set"; hash: string | null; browserHash: string } | { kind: "keep" };

/**
 * Starts a sign-up by email (one mail with a code and a verification link) or by phone (an SMS
 * code). An address that already belongs to an account gets a "sign in instead" message; the
 * answer, the rate limits and the outbox write are the same either way, and a password is hashed
 * in both cases, so nothing in the response tells the two apart. `browserKey` is the device
 * cookie of the browser signing up: a password chosen here counts only if this browser confirms.
 */
export async function signUp(input: { contact: Contact; password?: string; browserKey: string }, context: RequestContext): Promise<void> {
  if (input.password) assertPasswordAllowed(input.password);
  await consumeBurst(`sign-up:ip:${context.ip}`, SIGN_UPS_PER_IP);
  const hash = input.password ? await hashPassword(input.password) : null;
  await sendSignUpMessage(input.contact, { kind: "set", hash, browserHash: hashToken(input.browserKey) });
}

/** "Send a new code" on the verification page of a sign-up: the chosen password stays. */
export async function resendSignUpCode(contact: Contact, context: RequestContext): Promise<void> {
  await consumeBurst(`sign-up:ip:${context.ip}`, SIGN_UPS_PER_IP);
  await sendSignUpMessage(contact, { kind: "keep" });
}

async function sendSignUpMessage(contact: Contact, password: PasswordChoice): Promise<void> {
  await prisma.$transaction(async (tx) => {
    const existing = await findUserByContact(tx, contact);
    if (existing && isContactVerified(existing, contact)) {
      await consumeSendAllowance(tx, contact.destination, "SIGNUP");
      if (contact.channel === "EMAIL") await enqueueMail(tx, alreadyRegisteredMail(contact.destination));
      else await enqueueSms(tx, { to: contact.destination, text: alreadyRegisteredSms() });
      return;
    }
    // No account, or a sign-up nobody confirmed yet: the newest sign-up's password wins, since
    // none of them has proven they own the address (and it counts only if its browser confirms).
    const user = await pendingAccount(tx, contact, existing, password);
    const { code } = await issueCode(tx, { ...contact, purpose: "SIGNUP", userId: user.id });
    if (contact.channel === "EMAIL") {
      const token = await createLinkToken(tx, { purpose: "EMAIL_VERIFICATION", userId: user.id, email: contact.destination });
      await enqueueMail(tx, signUpMail(contact.destination, code, appUrl(`/verify-email/${token}`)));
    } else {
      await enqueueSms(tx, { to: contact.destination, text: codeSms(code) });
    }
  });
  deliverOutboxSoon();
}

async function pendingAccount(tx: Tx, contact: Contact, existing: User | null, password: PasswordChoice): Promise<User> {
  if (password.kind === "keep") return existing ?? tx.user.create({ data: contactFields(contact) });
  const choice = { password: password.hash, signUpBrowserHash: password.hash ? password.browserHash : null };
  if (!existing) return tx.user.create({ data: { ...contactFields(contact), ...choice } });
  return tx.user.update({ where: { id: existing.id }, data: choice });
}

/** True when the browser confirming a sign-up is the one that chose its password. */
function isSignUpBrowser(user: User, browserKey: string | null | undefined): boolean {
  return Boolean(user.signUpBrowserHash && browserKey && safeEqual(user.signUpBrowserHash, hashToken(browserKey)));
}

/**
 * Marks the contact verified for the account a sign-up code or link belongs to. A password chosen
 * at sign-up survives only when the browser that chose it confirms: anyone can start a sign-up
 * for someone else's address, and the owner confirming elsewhere must not adopt their password
 * (pre-account-takeover, ADR 0016).
 */
async function confirmContact(
  tx: Tx,
  input: { userId: string | null; contact: Contact; browserKey: string | null | undefined },
  context: RequestContext,
): Promise<{ userId: string; notice?: SignInNotice }> {
  const { contact } = input;
  const user = input.userId ? await tx.user.findUnique({ where: { id: input.userId } }) : null;
  const stillTheirs = user && (contact.channel === "EMAIL" ? user.email : user.phoneNumber) === contact.destination;
  if (!user || !stillTheirs) throw new AppError("invalid_code", "This sign-up is no longer valid. Start again.", 400, { reason: "none" });
  if (!user.isActive) throw accountDeactivated();
  let notice: SignInNotice | undefined;
  if (!isContactVerified(user, contact)) {
    const dropPassword = user.password !== null && !isSignUpBrowser(user, input.browserKey);
    await tx.user.update({
      where: { id: user.id },
      data: { ...verifiedFlag(contact), signUpBrowserHash: null, ...(dropPassword ? { password: null } : {}) },
    });
    await recordAudit({ action: "user.signed_up", userId: user.id, context, metadata: { channel: contact.channel, ...(dropPassword ? { passwordDropped: true } : {}) } }, tx);
    if (contact.channel === "EMAIL") await recordAudit({ action: "user.email_verified", userId: user.id, context }, tx);
    if (dropPassword) notice = "sign-up-password-dropped";
  }
  // Whichever of the code and the link was used, the other one must not work afterwards.
  const now = new Date();
  await tx.oneTimeCode.updateMany({ where: { destination: contact.destination, purpose: "SIGNUP", usedAt: null }, data: { usedAt: now } });
  await tx.linkToken.updateMany({ where: { userId: user.id, purpose: "EMAIL_VERIFICATION", usedAt: null }, data: { usedAt: now } });
  return { userId: user.id, notice };
}

/** Checks a sign-up code, verifies the contact and signs the browser in. */
export async function confirmSignUpCode(
  input: { contact: Contact; code: string; browserKey?: string | null },
  context: RequestContext,
): Promise<BrowserSignIn> {
  const result = await verifyCode({ destination: input.contact.destination, purpose: "SIGNUP", code: input.code });
  if (!result.ok) throw codeFailureError(result);
  return signInBrowserAfter((tx) => confirmContact(tx, { userId: result.userId, contact: input.contact, browserKey: input.browserKey }, context), {
    browserKey: input.browserKey,
    context,
  });
}

/** Opens the verification link of a sign-up mail: verifies the address and signs the browser in. */
export async function confirmEmailLink(input: { token: string; browserKey?: string | null }, context: RequestContext): Promise<BrowserSignIn> {
  return signInBrowserAfter(
    async (tx) => {
      const link = await consumeLinkToken(tx, input.token, "EMAIL_VERIFICATION");
      if (!link?.email) {
        throw new AppError("invalid_link", "This link has expired or was already used. Sign in, or sign up again for a new link.", 400);
      }
      return confirmContact(tx, { userId: link.userId, contact: { channel: "EMAIL", destination: link.email }, browserKey: input.browserKey }, context);
    },
    { browserKey: input.browserKey, context },
  );
}

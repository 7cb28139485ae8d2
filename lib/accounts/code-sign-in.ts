import { prisma, type Tx } from "../db";
import { recordAudit } from "../audit";
import { enqueueMail, enqueueSms, deliverOutboxSoon } from "../mail/outbox";
import { codeSms, deactivatedAccountMail, deactivatedAccountSms, signInCodeMail } from "../mail/templates";
import { issueCode, issueWithheldCode, requireCode, spendCode } from "../verification/codes";
import { consumeBurst } from "../rate-limit";
import { IP_LIMITS } from "../limits";
import { assertSmsCountryAllowed } from "../sms/gate";
import type { RequestContext } from "../request-context";
import { accountDeactivated } from "./account-errors";
import { signInBrowserAfter, type BrowserSignIn } from "./browser-sign-in";
import { promoteIfAdminEmail } from "./admin-promotion";
import { contactCodeRequester, contactFields, emailContact, findUserByContact, isContactVerified, verifiedFlag, type Contact } from "./contact";
import { rateLimitSubject } from "../http/client-address";
import { networkRequester } from "../verification/requester";


/**
 * Sends a sign-in code by mail or SMS. The answer and the work are the same whether or not an
 * account exists: an unknown contact gets a code too (verifying it creates the account), and a
 * deactivated account gets a withheld code (a notice goes out instead).
 */
export async function requestCodeSignIn(contact: Contact, context: RequestContext): Promise<void> {
  if (contact.channel === "SMS") assertSmsCountryAllowed(contact.destination, "contact");
  await consumeBurst(`code-request:ip:${rateLimitSubject(context.ip)}`, IP_LIMITS.codeRequests);
  await prisma.$transaction(async (tx) => {
    const user = await findUserByContact(tx, contact);
    const requester = await networkRequester(tx, context.ip, user?.id);
    const codeInput = { ...contact, purpose: "SIGNIN" as const, userId: user?.id, requester };
    const code = user && !user.isActive ? await issueWithheldCode(tx, codeInput).then(() => null) : (await issueCode(tx, codeInput)).code;
    if (contact.channel === "EMAIL") {
      await enqueueMail(tx, code === null ? deactivatedAccountMail(contact.destination) : signInCodeMail(contact.destination, code));
    } else {
      await enqueueSms(tx, { to: contact.destination, text: code === null ? deactivatedAccountSms() : codeSms(code) }, { requester: requester.key });
    }
  });
  deliverOutboxSoon();
}

/**
 * Checks a sign-in code now (a wrong guess is counted for good, ADR 0066) and returns the step
 * that finishes the sign-in inside the caller's transaction: it spends the code there, so the
 * code is used up only when the sign-in commits, and returns the account, creating it (contact
 * verified, profile not yet complete) when none exists. Throws AppError "invalid_code" (400,
 * {reason, attemptsLeft?}) or RateLimitedError while the contact is locked.
 */
export async function checkCodeSignIn(
  contact: Contact,
  code: string,
  context: RequestContext,
): Promise<(tx: Tx) => Promise<{ userId: string; created: boolean }>> {
  const requester = await contactCodeRequester(prisma, contact, context.ip);
  const proof = await requireCode({ destination: contact.destination, purpose: "SIGNIN", code, requester });
  return async (tx) => {
    await spendCode(tx, proof);
    let user = await findUserByContact(tx, contact);
    const created = !user;
    if (!user) {
      user = await tx.user.create({ data: { ...contactFields(contact), ...verifiedFlag(contact) } });
      await recordAudit({ action: "user.signed_up", userId: user.id, context, metadata: { channel: contact.channel, via: "sign_in_code" } }, tx);
    } else if (!user.isActive) {
      throw accountDeactivated();
    } else if (!isContactVerified(user, contact)) {
      // A sign-up that was never confirmed: whoever started it had not proven they own the address,
      // so the password they chose must not survive (pre-account-takeover).
      user = await tx.user.update({ where: { id: user.id }, data: { ...verifiedFlag(contact), password: null } });
    }
    user = await promoteIfAdminEmail(tx, user, context);
    return { userId: user.id, created };
  };
}

/** Where the messaging-client API's body (exactly one of email and phoneNumber, schema-checked) reaches the person. */
export function apiContact(input: { email?: string; phoneNumber?: string }): Contact {
  return input.email !== undefined ? emailContact(input.email) : { channel: "SMS", destination: input.phoneNumber! };
}

/** The messaging-client API's code request (POST /api/auth/code): same answer for every address or number. */
export async function requestSignInCode(input: { email?: string; phoneNumber?: string }, context: RequestContext): Promise<void> {
  await requestCodeSignIn(apiContact(input), context);
}

/** The messaging-client API's code check (POST /api/auth/token with a code): see checkCodeSignIn. */
export async function checkApiSignInCode(
  input: { email?: string; phoneNumber?: string; code: string },
  context: RequestContext,
): Promise<(tx: Tx) => Promise<{ userId: string }>> {
  return checkCodeSignIn(apiContact(input), input.code, context);
}

/** Browser sign-in by an emailed or texted code. */
export async function signInWithCode(
  input: { contact: Contact; code: string; browserKey?: string | null },
  context: RequestContext,
): Promise<BrowserSignIn> {
  const finish = await checkCodeSignIn(input.contact, input.code, context);
  return signInBrowserAfter(finish, { browserKey: input.browserKey, context });
}

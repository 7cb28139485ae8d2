import { prisma, type Tx } from "../db";
import { Prisma, type User } from "../generated/prisma/client";
import { runAfterAnswer } from "../after-answer";
import { recordAudit } from "../audit";
import { assertPasswordAllowed, hashPassword } from "../auth/password";
import { hashToken, safeEqual } from "../crypto";
import { AppError } from "../errors";
import { deliverOutboxSoon, enqueueMail, enqueueSms } from "../mail/outbox";
import { alreadyRegisteredMail, alreadyRegisteredSms, appUrl, codeSms, signUpMail } from "../mail/templates";
import { issueCode, issueWithheldCode, requireCode, spendCode } from "../verification/codes";
import { consumeBurst } from "../rate-limit";
import { IP_LIMITS } from "../limits";
import { assertSmsCountryAllowed, spendSmsBudget } from "../sms/gate";
import type { RequestContext } from "../request-context";
import { accountDeactivated } from "./account-errors";
import { signInBrowserAfter, type BrowserSignIn, type SignInNotice } from "./browser-sign-in";
import { contactCodeRequester, isContactVerified, verifiedFlag, type Contact } from "./contact";
import { consumeLinkToken, createLinkToken, findUsableLinkToken } from "../verification/links";
import { rateLimitSubject } from "../http/client-address";
import { networkKey, networkRequester } from "../verification/requester";

/** A new sign-up's password (argon2 hash) and the browser that chose it, or "keep" the pending one's. */
type PasswordChoice = { kind: "set"; hash: string | null; browserHash: string } | { kind: "keep" };

/**
 * Starts a sign-up by email (one mail with a code and a verification link) or by phone (an SMS
 * code). An address that already belongs to an account gets a "sign in instead" message; the
 * answer, the rate limits and the statements before the answer are the same either way, and a
 * password is hashed in both cases, so neither the response nor its time tells the two apart.
 * `browserKey` is the device cookie of the browser signing up: a password chosen here counts only
 * if this browser confirms (ADR 0016).
 */
export async function signUp(input: { contact: Contact; password?: string; browserKey: string }, context: RequestContext): Promise<void> {
  if (input.password) assertPasswordAllowed(input.password);
  if (input.contact.channel === "SMS") assertSmsCountryAllowed(input.contact.destination, "phone");
  await consumeBurst(`sign-up:ip:${rateLimitSubject(context.ip)}`, IP_LIMITS.signUps);
  const hash = input.password ? await hashPassword(input.password) : null;
  await sendSignUpMessage(input.contact, { kind: "set", hash, browserHash: hashToken(input.browserKey) }, context);
}

/** "Send a new code" on the verification page of a sign-up: the chosen password stays. */
export async function resendSignUpCode(contact: Contact, context: RequestContext): Promise<void> {
  if (contact.channel === "SMS") assertSmsCountryAllowed(contact.destination, "contact");
  await consumeBurst(`sign-up:ip:${rateLimitSubject(context.ip)}`, IP_LIMITS.signUps);
  await sendSignUpMessage(contact, { kind: "keep" }, context);
}

async function sendSignUpMessage(contact: Contact, password: PasswordChoice, context: RequestContext): Promise<void> {
  const sent = await prisma.$transaction(async (tx) => {
    // The text itself follows the answer, but a spent SMS budget must refuse this request, before
    // anything is written (ADR 0027); both kinds of number spend it alike.
    if (contact.channel === "SMS") await spendSmsBudget(tx, { requester: networkKey(context.ip), to: contact.destination });
    const account = await claimSignUpAccount(tx, contact, password);
    const requester = await networkRequester(tx, context.ip, account.id);
    const codeInput = { ...contact, purpose: "SIGNUP" as const, userId: account.id, requester };
    // An address that already has an account gets a "sign in instead" message and a withheld
    // code, so its code step answers like a new sign-up's (docs/decisions/0020).
    if (account.verified) {
      await issueWithheldCode(tx, codeInput);
      return { account, code: null };
    }
    return { account, code: (await issueCode(tx, codeInput)).code };
  });
  // The message, and the verification link a new sign-up's mail carries, follow the answer: what
  // only one kind of address needs is not part of its time (docs/decisions/0021).
  runAfterAnswer("sign-up message", async () => {
    await prisma.$transaction((tx) => enqueueSignUpMessage(tx, contact, sent.account.id, sent.code));
    deliverOutboxSoon();
  });
}

async function enqueueSignUpMessage(tx: Tx, contact: Contact, userId: string, code: string | null): Promise<void> {
  if (code === null) {
    if (contact.channel === "EMAIL") await enqueueMail(tx, alreadyRegisteredMail(contact.destination));
    else await enqueueSms(tx, { to: contact.destination, text: alreadyRegisteredSms() }, "already-spent");
  } else if (contact.channel === "EMAIL") {
    const token = await createLinkToken(tx, { purpose: "EMAIL_VERIFICATION", userId, email: contact.destination });
    await enqueueMail(tx, signUpMail(contact.destination, code, appUrl(`/verify-email/${token}`)));
  } else {
    await enqueueSms(tx, { to: contact.destination, text: codeSms(code) }, "already-spent");
  }
}

/**
 * The account a sign-up's code belongs to, in one statement whatever the address has, so a new
 * address and a taken one cost the same: a new unconfirmed account, or the one that holds the
 * address. A chosen password replaces that of a sign-up nobody confirmed (none of them proved they
 * own the address: the newest wins) and never touches a confirmed account, even one confirmed a
 * moment ago.
 */
async function claimSignUpAccount(tx: Tx, contact: Contact, password: PasswordChoice): Promise<{ id: string; verified: boolean }> {
  const [address, verified] =
    contact.channel === "EMAIL" ? [Prisma.raw("email"), Prisma.raw("email_verified")] : [Prisma.raw("phone_number"), Prisma.raw("phone_verified")];
  const hash = password.kind === "set" ? password.hash : null;
  // The browser that started the sign-up: only its confirmation keeps a chosen password (ADR 0016),
  // and only it sees the mail's link confirm by itself (ADR 0075).
  const browserHash = password.kind === "set" ? password.browserHash : null;
  const keep = Prisma.sql`account.${verified} OR ${password.kind === "keep"}::boolean`;
  const [account] = await tx.$queryRaw<{ id: string; verified: boolean }[]>`
    INSERT INTO users AS account (id, ${address}, password, sign_up_browser_hash, updated_at)
    VALUES (gen_random_uuid(), ${contact.destination}, ${hash}::text, ${browserHash}::text, now())
    ON CONFLICT (${address}) DO UPDATE SET
      password = CASE WHEN ${keep} THEN account.password ELSE EXCLUDED.password END,
      sign_up_browser_hash = CASE WHEN ${keep} THEN account.sign_up_browser_hash ELSE EXCLUDED.sign_up_browser_hash END
    RETURNING id::text AS id, ${verified} AS verified`;
  return account!;
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
  const requester = await contactCodeRequester(prisma, input.contact, context.ip);
  const proof = await requireCode({ destination: input.contact.destination, purpose: "SIGNUP", code: input.code, requester });
  return signInBrowserAfter(
    async (tx) => {
      await spendCode(tx, proof);
      return confirmContact(tx, { userId: proof.userId, contact: input.contact, browserKey: input.browserKey }, context);
    },
    { browserKey: input.browserKey, context },
  );
}

/**
 * Who is opening a sign-up mail's link. It signs in whoever holds it, so it confirms by itself only
 * in the browser that started the sign-up, and never in place of another account's session;
 * anywhere else the person must click, having read which address it is for (login CSRF, ADR 0075).
 */
export type EmailLinkOpener = { browserKey?: string | null; signedInUserId: string | null };

function mayConfirmWithoutClick(user: User, opener: EmailLinkOpener): boolean {
  return isSignUpBrowser(user, opener.browserKey) && (opener.signedInUserId === null || opener.signedInUserId === user.id);
}

export type EmailLinkPreview = { usable: false } | { usable: true; email: string; confirmOnLoad: boolean; replacesSession: boolean };

/** What the verification link page shows before anything is used. */
export async function previewEmailLink(token: string, opener: EmailLinkOpener): Promise<EmailLinkPreview> {
  const link = await findUsableLinkToken(token, "EMAIL_VERIFICATION");
  const user = link?.email ? await prisma.user.findUnique({ where: { id: link.userId } }) : null;
  if (!link?.email || !user) return { usable: false };
  return {
    usable: true,
    email: link.email,
    confirmOnLoad: mayConfirmWithoutClick(user, opener),
    replacesSession: opener.signedInUserId !== null && opener.signedInUserId !== user.id,
  };
}

/**
 * Opens the verification link of a sign-up mail: verifies the address and signs the browser in.
 * Without a click (`clicked` false, the page confirming on load) only where mayConfirmWithoutClick.
 */
export async function confirmEmailLink(
  input: { token: string; clicked: boolean } & EmailLinkOpener,
  context: RequestContext,
): Promise<BrowserSignIn> {
  return signInBrowserAfter(
    async (tx) => {
      const link = await consumeLinkToken(tx, input.token, "EMAIL_VERIFICATION");
      if (!link?.email) {
        throw new AppError("invalid_link", "This link has expired or was already used. Sign in, or sign up again for a new link.", 400);
      }
      const user = await tx.user.findUnique({ where: { id: link.userId } });
      // Thrown inside the transaction: the link stays unused for the click.
      if (user && !input.clicked && !mayConfirmWithoutClick(user, input)) {
        throw new AppError("click_required", `This link signs you in as ${link.email}. Confirm with the button if that is you.`, 409);
      }
      return confirmContact(tx, { userId: link.userId, contact: { channel: "EMAIL", destination: link.email }, browserKey: input.browserKey }, context);
    },
    { browserKey: input.browserKey, context },
  );
}

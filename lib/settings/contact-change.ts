import { prisma, type Tx } from "../db";
import { AppError } from "../errors";
import type { User } from "../generated/prisma/client";
import { recordAudit, type AuditAction } from "../audit";
import { deliverOutboxSoon } from "../mail/outbox";
import { issueCode, issueWithheldCode, requireCode, spendCode } from "../verification/codes";
import { accountRequester, type CodeRequester } from "../verification/requester";
import { hitWindow } from "../rate-limit";
import { CONTACT_CHANGE_REQUESTS } from "../limits";
import type { RequestContext } from "../request-context";
import { assertRecentSignIn, type SessionRef } from "../auth/recent-sign-in";
import { isUniqueViolation } from "../db/unique-violation";
import { lockUser } from "../users/lock";
import { evictUnconfirmedSignUp, findOwner } from "../users/unconfirmed";

// The steps an email change and a phone change share (issue 21). The new contact waits for its
// code as the destination of the account's newest live change code (ADR 0082): the code is bound
// to its address and its account already, so no second copy can disagree with it.

/** What differs between changing the email address and changing the phone number (EMAIL in email-change.ts, PHONE in phone-change.ts). */
export type ContactKind = {
  purpose: "EMAIL_CHANGE" | "PHONE_CHANGE";
  channel: "EMAIL" | "SMS";
  /** The form field an error belongs to. */
  field: "email" | "phone";
  /** What the person calls it: "address" or "number". */
  noun: string;
  current: (user: User) => string | null;
  /** The account row's columns that hold this contact, for a look-up or an update. */
  holder: (value: string) => { email: string } | { phoneNumber: string };
  verified: (value: string) => { email: string; emailVerified: true } | { phoneNumber: string; phoneVerified: true };
  /** The key of the account's hourly window of change requests. */
  windowKey: (userId: string) => string;
  /** Refuses a new contact that can never receive a code (after the recent-sign-in check). */
  admit?: (value: string) => void;
  cancelled: AuditAction;
  changed: AuditAction;
};

const contactUnavailable = (kind: ContactKind) =>
  new AppError(`${kind.field}_unavailable`, `That ${kind.noun} cannot be used for your account. Choose another one.`, 409, { field: kind.field });

const liveChangeCodes = (kind: ContactKind, userId: string) => ({
  userId,
  purpose: kind.purpose,
  usedAt: null,
  expiresAt: { gt: new Date() },
});

/** The new contact waiting for its code, or null. */
export async function pendingContactOf(kind: ContactKind, userId: string, db: Tx = prisma): Promise<string | null> {
  const code = await db.oneTimeCode.findFirst({ where: liveChangeCodes(kind, userId), orderBy: { createdAt: "desc" }, select: { destination: true } });
  return code?.destination ?? null;
}

/** No new contact of this kind waits for its code any more: every code that could complete one stops working. */
async function clearPendingContact(tx: Tx, kind: ContactKind, userId: string): Promise<void> {
  await tx.oneTimeCode.updateMany({ where: liveChangeCodes(kind, userId), data: { expiresAt: new Date() } });
}

/** The message that carries the code to the new contact, or, for a taken one (code null), the notice instead. */
type SendCode = (tx: Tx, to: string, code: string | null, requester: CodeRequester) => Promise<void>;

/**
 * Step 1: after a recent sign-in, sends a code to the new contact, which then waits for it. A
 * contact that belongs to another account is answered exactly alike (same checks, a withheld code
 * issued, one message to it — a notice instead of the code), so the answer reveals nothing.
 */
export async function requestContactChange(kind: ContactKind, session: SessionRef, value: string, send: SendCode): Promise<void> {
  assertRecentSignIn(session);
  kind.admit?.(value);
  await prisma.$transaction(async (tx) => {
    const user = await lockUser(tx, session.userId);
    if (kind.current(user) === value) throw new AppError(`same_${kind.field}`, `That is already your ${kind.noun}.`, 400, { field: kind.field });
    await hitWindow(kind.windowKey(user.id), CONTACT_CHANGE_REQUESTS, tx);
    // A sign-up nobody confirmed does not own the contact (ADR 0075): the code goes out.
    const owner = await findOwner(tx, kind.holder(value));
    // A contact asked for earlier stops waiting: only the newest request can complete.
    await clearPendingContact(tx, kind, user.id);
    // Changes are counted per (account, new contact) (ADR 0052): the account is the requester.
    const requester = accountRequester(user.id, false);
    const codeInput = { channel: kind.channel, destination: value, purpose: kind.purpose, userId: user.id, requester };
    // A taken contact gets a withheld code: its code step answers like a free one's (docs/decisions/0020).
    const code = owner ? await issueWithheldCode(tx, codeInput).then(() => null) : (await issueCode(tx, codeInput)).code;
    await send(tx, value, code, requester);
  });
  deliverOutboxSoon();
}

/** Drops the contact waiting for its code (its code stops working) and audits it, if one was waiting. */
export async function cancelContactChange(kind: ContactKind, session: SessionRef, context?: Partial<RequestContext>): Promise<void> {
  await prisma.$transaction(async (tx) => {
    const user = await lockUser(tx, session.userId);
    const pending = await pendingContactOf(kind, user.id, tx);
    if (!pending) return;
    await clearPendingContact(tx, kind, user.id);
    await recordAudit({ action: kind.cancelled, userId: user.id, deviceId: session.deviceId, context, metadata: { to: pending } }, tx);
  });
}

/** What the change does beyond the account row and its audit event: the notices of its channel. */
type AfterChange = (tx: Tx, before: User, value: string) => Promise<void>;

/**
 * Step 2: the code from the new contact makes the change in one transaction: the account row
 * (contact set and verified), the channel's notices and the audit event. Checked under the user's
 * row lock and guarded by the unique constraint, so the change never completes onto a contact
 * another account holds, even one taken a moment ago.
 */
export async function confirmContactChange(
  kind: ContactKind,
  session: SessionRef,
  code: string,
  context: Partial<RequestContext> | undefined,
  afterChange: AfterChange,
): Promise<string> {
  const value = await pendingContactOf(kind, session.userId);
  if (!value) throw new AppError("no_pending_change", `There is no new ${kind.noun} waiting for a code. Enter it again.`, 400);
  const proof = await requireCode({ destination: value, purpose: kind.purpose, code, userId: session.userId, requester: accountRequester(session.userId, false) });

  try {
    await prisma.$transaction(async (tx) => {
      const user = await lockUser(tx, session.userId);
      if ((await pendingContactOf(kind, user.id, tx)) !== value) {
        throw new AppError("no_pending_change", `The ${kind.noun} waiting for a code has changed. Enter it again.`, 409);
      }
      await spendCode(tx, proof);
      const evicted = await evictUnconfirmedSignUp(tx, kind.holder(value));
      if (await tx.user.findUnique({ where: kind.holder(value), select: { id: true } })) throw contactUnavailable(kind);
      await tx.user.update({ where: { id: user.id }, data: kind.verified(value) });
      await afterChange(tx, user, value);
      await recordAudit(
        {
          action: kind.changed,
          userId: user.id,
          deviceId: session.deviceId,
          context,
          metadata: { from: kind.current(user), to: value, ...(evicted ? { unconfirmedSignUpRemoved: true } : {}) },
        },
        tx,
      );
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw contactUnavailable(kind);
    throw error;
  }
  deliverOutboxSoon();
  return value;
}

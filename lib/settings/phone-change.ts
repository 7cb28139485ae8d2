import { prisma, type Tx } from "../db";
import { AppError } from "../errors";
import { recordAudit } from "../audit";
import { deliverOutboxSoon, enqueueSms } from "../mail/outbox";
import { notifyAccountHolder } from "../users/notify";
import { assertSmsCountryAllowed } from "../sms/gate";
import { issueCode, issueWithheldCode, requireCode, spendCode } from "../verification/codes";
import { accountRequester } from "../verification/requester";
import { hitWindow } from "../rate-limit";
import { CONTACT_CHANGE_REQUESTS } from "../limits";
import type { RequestContext } from "../request-context";
import { codeSms, phoneChangedNotice, phoneChangeTakenSms } from "../mail/templates";
import { assertRecentSignIn, type SessionRef } from "../auth/recent-sign-in";
import { isUniqueViolation } from "../db/unique-violation";
import { lockUser } from "../users/lock";
import { evictUnconfirmedSignUp, findOwner } from "../users/unconfirmed";

const phoneUnavailable = () =>
  new AppError("phone_unavailable", "That number cannot be used for your account. Choose another one.", 409, { field: "phone" });

// The number waiting for its code is the destination of the account's newest live PHONE_CHANGE
// code (User has no pending-phone column): a code is bound to its number and its account.
const livePhoneChangeCodes = (userId: string) => ({ userId, purpose: "PHONE_CHANGE" as const, usedAt: null, expiresAt: { gt: new Date() } });

async function pendingPhoneCode(userId: string, db: Tx = prisma) {
  return db.oneTimeCode.findFirst({ where: livePhoneChangeCodes(userId), orderBy: { createdAt: "desc" } });
}

/** No number waits for its code any more. */
async function expirePendingPhoneCodes(userId: string, db: Tx = prisma): Promise<void> {
  await db.oneTimeCode.updateMany({ where: livePhoneChangeCodes(userId), data: { expiresAt: new Date() } });
}

export async function pendingPhoneOf(userId: string): Promise<string | null> {
  return (await pendingPhoneCode(userId))?.destination ?? null;
}

/**
 * Step 1: after a recent sign-in, texts a code to the new number. A number that belongs to another
 * account is answered exactly alike (a withheld code issued, one SMS to that number — a notice
 * instead of the code), so the answer reveals nothing.
 */
export async function requestPhoneChange(session: SessionRef, newPhone: string): Promise<{ pendingPhone: string }> {
  assertRecentSignIn(session);
  assertSmsCountryAllowed(newPhone, "phone");
  await prisma.$transaction(async (tx) => {
    const user = await lockUser(tx, session.userId);
    if (user.phoneNumber === newPhone) throw new AppError("same_phone", "That is already your number.", 400, { field: "phone" });
    await hitWindow(`settings:phone-change:${user.id}`, CONTACT_CHANGE_REQUESTS, tx);
    // A sign-up nobody confirmed does not own the number (ADR 0075): the code goes out.
    const owner = await findOwner(tx, { phoneNumber: newPhone });
    // A number asked for earlier stops waiting: only the newest request can complete.
    await expirePendingPhoneCodes(user.id, tx);
    const requester = accountRequester(user.id, false);
    const codeInput = { channel: "SMS", destination: newPhone, purpose: "PHONE_CHANGE", userId: user.id, requester } as const;
    // A taken number gets a withheld code: its code step answers like a free one's (docs/decisions/0020).
    const code = owner ? await issueWithheldCode(tx, codeInput).then(() => null) : (await issueCode(tx, codeInput)).code;
    await enqueueSms(tx, { to: newPhone, text: code === null ? phoneChangeTakenSms() : codeSms(code) }, { requester: requester.key });
  });
  deliverOutboxSoon();
  return { pendingPhone: newPhone };
}

/** No number waits for its code any more; audited when one was waiting. */
export async function cancelPhoneChange(session: SessionRef, context?: Partial<RequestContext>): Promise<void> {
  await prisma.$transaction(async (tx) => {
    const pending = await pendingPhoneCode(session.userId, tx);
    if (!pending) return;
    await expirePendingPhoneCodes(session.userId, tx);
    await recordAudit(
      { action: "user.phone_change_cancelled", userId: session.userId, deviceId: session.deviceId, context, metadata: { to: pending.destination } },
      tx,
    );
  });
}

/**
 * Step 2: the code from the new number makes the change in one transaction (number, audit event,
 * notice to the account holder), checked under the user's row lock and guarded by the unique
 * constraint.
 */
export async function confirmPhoneChange(
  session: SessionRef,
  code: string,
  context?: Partial<RequestContext>,
): Promise<{ phoneNumber: string }> {
  const pending = await pendingPhoneCode(session.userId);
  if (!pending) throw new AppError("no_pending_change", "There is no new number waiting for a code. Enter it again.", 400);
  const newPhone = pending.destination;
  const proof = await requireCode({ destination: newPhone, purpose: "PHONE_CHANGE", code, userId: session.userId, requester: accountRequester(session.userId, false) });

  try {
    await prisma.$transaction(async (tx) => {
      const user = await lockUser(tx, session.userId);
      const evicted = await evictUnconfirmedSignUp(tx, { phoneNumber: newPhone });
      await spendCode(tx, proof);
      if (await tx.user.findUnique({ where: { phoneNumber: newPhone }, select: { id: true } })) throw phoneUnavailable();
      await tx.user.update({ where: { id: user.id }, data: { phoneNumber: newPhone, phoneVerified: true } });
      await recordAudit(
        {
          action: "user.phone_changed",
          userId: user.id,
          deviceId: session.deviceId,
          context,
          metadata: { from: user.phoneNumber, to: newPhone, ...(evicted ? { unconfirmedSignUpRemoved: true } : {}) },
        },
        tx,
      );
      await notifyAccountHolder(tx, user, phoneChangedNotice(newPhone));
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw phoneUnavailable();
    throw error;
  }
  deliverOutboxSoon();
  return { phoneNumber: newPhone };
}

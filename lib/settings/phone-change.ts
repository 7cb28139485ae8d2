import { enqueueNoticeSms, enqueueSms } from "../mail/outbox";
import { createLinkToken } from "../verification/links";
import { notifyAccountHolder } from "../users/notify";
import { assertSmsCountryAllowed } from "../sms/gate";
import type { RequestContext } from "../request-context";
import { codeSms, phoneChangedNotice, phoneChangedSms, phoneChangeTakenSms } from "../mail/templates";
import type { SessionRef } from "../auth/recent-sign-in";
import { cancelContactChange, confirmContactChange, pendingContactOf, requestContactChange, type ContactKind } from "./contact-change";

const PHONE: ContactKind = {
  purpose: "PHONE_CHANGE",
  channel: "SMS",
  field: "phone",
  noun: "number",
  current: (user) => user.phoneNumber,
  holder: (phoneNumber) => ({ phoneNumber }),
  verified: (phoneNumber) => ({ phoneNumber, phoneVerified: true }),
  windowKey: (userId) => `settings:phone-change:${userId}`,
  admit: (phoneNumber) => assertSmsCountryAllowed(phoneNumber, "phone"),
  cancelled: "user.phone_change_cancelled",
  changed: "user.phone_changed",
};

/** The number waiting for its code, if its code is still valid. */
export function pendingPhoneOf(userId: string): Promise<string | null> {
  return pendingContactOf(PHONE, userId);
}

/**
 * Step 1: after a recent sign-in, texts a code to the new number, which then waits for it. A taken
 * number is answered exactly alike: its holder gets a notice instead of the code.
 */
export async function requestPhoneChange(session: SessionRef, newPhone: string): Promise<{ pendingPhone: string }> {
  await requestContactChange(PHONE, session, newPhone, (tx, to, code, requester) =>
    enqueueSms(tx, { to, text: code === null ? phoneChangeTakenSms() : codeSms(code) }, { requester: requester.key }),
  );
  return { pendingPhone: newPhone };
}

/** No number waits for its code any more; audited when one was waiting. */
export async function cancelPhoneChange(session: SessionRef, context?: Partial<RequestContext>): Promise<void> {
  await cancelContactChange(PHONE, session, context);
}

/**
 * Step 2: the code from the new number makes the change in one transaction: number, notice to the
 * account holder, audit event, and, when a number is replaced, an undo link (7 days) texted to it
 * (ADR 0086): a phone-only account taken over by its number has no other way back. While the link
 * is open, every security notice also reaches the replaced number (ADR 0063).
 */
export async function confirmPhoneChange(
  session: SessionRef,
  code: string,
  context?: Partial<RequestContext>,
): Promise<{ phoneNumber: string }> {
  const phoneNumber = await confirmContactChange(PHONE, session, code, context, async (tx, before, newPhone) => {
    await notifyAccountHolder(tx, before, phoneChangedNotice(newPhone));
    if (!before.phoneNumber) return;
    // Earlier undo links stay valid, as for email changes: the first is the rightful owner's.
    const token = await createLinkToken(
      tx,
      { purpose: "PHONE_CHANGE_REVERT", userId: before.id, email: before.email, phoneNumber: before.phoneNumber },
      { voidEarlier: false },
    );
    await enqueueNoticeSms(tx, { to: before.phoneNumber, text: phoneChangedSms(newPhone, token) });
  });
  return { phoneNumber };
}

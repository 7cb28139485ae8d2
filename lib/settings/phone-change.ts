import { enqueueSms } from "../mail/outbox";
import { notifyAccountHolder } from "../users/notify";
import { assertSmsCountryAllowed } from "../sms/gate";
import type { RequestContext } from "../request-context";
import { codeSms, phoneChangedNotice, phoneChangeTakenSms } from "../mail/templates";
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

/** Step 2: the code from the new number makes the change in one transaction: number, notice to the account holder, audit event. */
export async function confirmPhoneChange(
  session: SessionRef,
  code: string,
  context?: Partial<RequestContext>,
): Promise<{ phoneNumber: string }> {
  const phoneNumber = await confirmContactChange(PHONE, session, code, context, (tx, before, newPhone) =>
    notifyAccountHolder(tx, before, phoneChangedNotice(newPhone)),
  );
  return { phoneNumber };
}

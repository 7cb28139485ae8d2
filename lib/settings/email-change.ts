import { prisma, type Tx } from "../db";
import { createLinkToken } from "../verification/links";
import { enqueueMail, enqueueNoticeSms } from "../mail/outbox";
import type { RequestContext } from "../request-context";
import {
  emailAddedSms,
  emailChangeCodeMail,
  emailChangedMail,
  emailChangeRevertUrl,
  emailChangeTakenMail,
} from "../mail/templates";
import type { SessionRef } from "../auth/recent-sign-in";
import { cancelContactChange, confirmContactChange, pendingContactOf, requestContactChange, type ContactKind } from "./contact-change";

const EMAIL: ContactKind = {
  purpose: "EMAIL_CHANGE",
  channel: "EMAIL",
  field: "email",
  noun: "address",
  current: (user) => user.email,
  holder: (email) => ({ email }),
  verified: (email) => ({ email, emailVerified: true }),
  windowKey: (userId) => `settings:email-change:${userId}`,
  cancelled: "user.email_change_cancelled",
  changed: "user.email_changed",
};

/**
 * Step 1: after a recent sign-in, sends a code to the new address, which then waits for it. A
 * taken address is answered exactly alike: its holder gets a notice instead of the code.
 */
export async function requestEmailChange(session: SessionRef, newEmail: string): Promise<{ pendingEmail: string }> {
  await requestContactChange(EMAIL, session, newEmail, (tx, to, code) =>
    enqueueMail(tx, code === null ? emailChangeTakenMail(to) : emailChangeCodeMail(to, code)),
  );
  return { pendingEmail: newEmail };
}

/** The address waiting for its code, if its code is still valid. */
export function pendingEmailOf(userId: string, db: Tx = prisma): Promise<string | null> {
  return pendingContactOf(EMAIL, userId, db);
}

/** Drops the address waiting for its code (its code stops working) and audits it, if one was waiting. */
export async function cancelEmailChange(session: SessionRef, context?: Partial<RequestContext>): Promise<void> {
  await cancelContactChange(EMAIL, session, context);
}

/**
 * Step 2: the code from the new address makes the change, in one transaction: the address, a
 * revert link (7 days) mailed to the old address, or texted to the number of an account that had
 * no address (ADR 0063), and the audit event.
 */
export async function confirmEmailChange(
  session: SessionRef,
  code: string,
  context?: Partial<RequestContext>,
): Promise<{ email: string }> {
  const email = await confirmContactChange(EMAIL, session, code, context, async (tx, before, newEmail) => {
    // Earlier revert links stay valid: one is the rightful owner's way back if the address
    // was changed twice. The link also remembers the phone number (ADR 0017); while it is open,
    // every security notice also reaches what it replaced (ADR 0063). The undo itself is
    // lib/settings/contact-revert.ts.
    if (!before.email && !before.phoneNumber) return;
    const token = await createLinkToken(
      tx,
      { purpose: "EMAIL_CHANGE_REVERT", userId: before.id, email: before.email, phoneNumber: before.phoneNumber },
      { voidEarlier: false },
    );
    if (before.email) await enqueueMail(tx, emailChangedMail(before.email, newEmail, token));
    else await enqueueNoticeSms(tx, { to: before.phoneNumber!, text: emailAddedSms(newEmail, emailChangeRevertUrl(token)) });
  });
  return { email };
}

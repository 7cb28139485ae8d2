import type { Tx } from "../db";
import { enqueueMail, enqueueSms } from "../mail/outbox";
import { accountNoticeSms, type AccountNotice } from "../mail/templates";

// Each notice is queued in the transaction that makes the change, so a change that rolls back
// tells nobody anything.

/**
 * Tells the account holder about a change to their account: by mail when the account has an
 * address, else by SMS to its number (accounts signed up by phone may have no address).
 */
export async function notifyAccountHolder(
  tx: Tx,
  user: { email: string | null; phoneNumber: string | null },
  notice: AccountNotice,
): Promise<void> {
  if (user.email) await enqueueMail(tx, notice.mailTo(user.email));
  else if (user.phoneNumber) await enqueueSms(tx, { to: user.phoneNumber, text: accountNoticeSms(notice) });
}

import type { Tx } from "../db";
import { enqueueMail, enqueueNoticeSms } from "../mail/outbox";
import type { AccountNotice } from "../mail/templates";

// Issue 22 item 2, ADR 0063: every security notice goes through notifyAccountHolder, the one
// place that knows who the holder of an account is. That is the account's own address (else its
// number), and, for as long as an undo link for an email or phone change is open, also the
// address (or, for an account that had none, the number) or the number that the change replaced:
// whoever changed it must not be the only one to hear what happens next (ADR 0086).

type Holder = { id: string; email: string | null; emailVerified?: boolean; phoneNumber: string | null; phoneVerified?: boolean };

type Recipient = { channel: "EMAIL" | "SMS"; to: string };

/** Where the account's own notices go: its verified address, else its number, else an unverified address. */
function ownRecipient(user: Holder): Recipient | null {
  if (user.email && user.emailVerified !== false) return { channel: "EMAIL", to: user.email };
  if (user.phoneNumber) return { channel: "SMS", to: user.phoneNumber };
  if (user.email) return { channel: "EMAIL", to: user.email };
  return null;
}

/** The addresses and numbers replaced by email and phone changes whose undo links still work. */
async function replacedRecipients(tx: Tx, userId: string): Promise<Recipient[]> {
  const links = await tx.linkToken.findMany({
    where: { userId, purpose: { in: ["EMAIL_CHANGE_REVERT", "PHONE_CHANGE_REVERT"] }, usedAt: null, expiresAt: { gt: new Date() } },
    select: { purpose: true, email: true, phoneNumber: true },
    orderBy: { createdAt: "asc" },
  });
  return links.flatMap((link): Recipient[] => {
    // A phone change's link went to the number it replaced (ADR 0086); an email change's to the address.
    if (link.purpose === "PHONE_CHANGE_REVERT" || !link.email) return link.phoneNumber ? [{ channel: "SMS", to: link.phoneNumber }] : [];
    return [{ channel: "EMAIL", to: link.email }];
  });
}

/**
 * Tells the account holder about a change to their account (see above). Queued in the
 * transaction that makes the change, so a change that rolls back tells nobody anything.
 */
export async function notifyAccountHolder(tx: Tx, user: Holder, notice: AccountNotice): Promise<void> {
  const own = ownRecipient(user);
  const seen = new Set<string>();
  for (const recipient of [...(own ? [own] : []), ...(await replacedRecipients(tx, user.id))]) {
    const key = `${recipient.channel}:${recipient.to}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (recipient.channel === "EMAIL") await enqueueMail(tx, notice.mailTo(recipient.to));
    else await enqueueNoticeSms(tx, { to: recipient.to, text: notice.sms });
  }
}

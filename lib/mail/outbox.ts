import { prisma, type Tx } from "../db";
import type { OutboxMessage } from "../generated/prisma/client";
import { assertSmsCountryAllowed, countAgainstSmsBudget, spendSmsBudget } from "../sms/gate";
import { smsProvider } from "../sms/provider";
import type { AccountNotice } from "./templates";
import { mailConfigured, sendMail, type MailMessage } from "./transport";

// DECISIONS.md §2 and docs/decisions/0006: mail and SMS are written in the transaction that causes
// them and delivered after commit, so no response waits on SMTP and a rolled-back change sends
// nothing. Delivered bodies are cleared: they carry codes and links.

export const MAX_DELIVERY_ATTEMPTS = 5;
const BATCH_SIZE = 20;
/** A claimed message is not picked up again by another instance for this long. */
const CLAIM_SECONDS = 120;

export async function enqueueMail(tx: Tx, message: MailMessage): Promise<void> {
  await tx.outboxMessage.create({
    data: { channel: "EMAIL", to: message.to, subject: message.subject, text: message.text, html: message.html ?? null },
  });
}

type SmsOutboxMessage = { to: string; text: string };

/**
 * Queues a text someone asked for (a code, or the answer that stands in for one). Every such text
 * passes the country allow-list and spends the hourly budget (lib/sms/gate.ts, ADR 0027); the flows
 * check the country earlier too, to show the refusal on their own field.
 */
export async function enqueueSms(tx: Tx, message: SmsOutboxMessage): Promise<void> {
  assertSmsCountryAllowed(message.to);
  await spendSmsBudget(tx);
  await writeSms(tx, message);
}

async function writeSms(tx: Tx, message: SmsOutboxMessage): Promise<void> {
  await tx.outboxMessage.create({ data: { channel: "SMS", to: message.to, text: message.text } });
}

/**
 * Tells the account holder about a change to their account: by mail when the account has an
 * address, else by SMS to its number (accounts signed up by phone may have no address). Queued in
 * the transaction that makes the change, so a change that rolls back tells nobody anything.
 */
export async function notifyAccountHolder(
  tx: Tx,
  user: { email: string | null; phoneNumber: string | null },
  notice: AccountNotice,
): Promise<void> {
  if (user.email) await enqueueMail(tx, notice.mailTo(user.email));
  else if (user.phoneNumber) {
    // The owner must hear of a change to their account even while texts are paused: counted, never refused.
    await countAgainstSmsBudget(tx);
    await writeSms(tx, { to: user.phoneNumber, text: notice.sms });
  }
}

/** Seconds before the next try after `attempts` failed ones: 30 s, 1 min, 2 min, 4 min, … */
export function retryDelaySeconds(attempts: number): number {
  return 30 * 2 ** Math.max(0, attempts - 1);
}

export type DeliveryReport = { sent: number; kept: number; failed: number; retrying: number };

/**
 * Delivers the pending messages that are due. Safe to run on several instances at once: each
 * batch is claimed with SKIP LOCKED and leased for two minutes. With no transport configured for
 * a channel, its messages are marked sent but keep their bodies (the developer's inbox).
 */
export async function deliverOutbox(): Promise<DeliveryReport> {
  const report: DeliveryReport = { sent: 0, kept: 0, failed: 0, retrying: 0 };
  const sms = smsProvider();
  for (;;) {
    // Outcomes are recorded with updateMany: a message deleted meanwhile (cleanup, an account
    // deleted) is simply gone, not an error.
    const batch = await claimDueMessages();
    if (batch.length === 0) return report;
    for (const message of batch) {
      try {
        const delivered = message.channel === "EMAIL" ? await deliverMail(message) : await deliverSms(message, sms);
        await prisma.outboxMessage.updateMany({
          where: { id: message.id },
          data: delivered
            ? { status: "SENT", sentAt: new Date(), text: "", html: null, lastError: null }
            : { status: "SENT", sentAt: new Date(), lastError: null },
        });
        report[delivered ? "sent" : "kept"] += 1;
      } catch (error) {
        const failed = message.attempts >= MAX_DELIVERY_ATTEMPTS;
        await prisma.outboxMessage.updateMany({
          where: { id: message.id },
          data: {
            status: failed ? "FAILED" : "PENDING",
            lastError: String(error instanceof Error ? error.message : error).slice(0, 500),
            nextAttemptAt: new Date(Date.now() + retryDelaySeconds(message.attempts) * 1000),
          },
        });
        report[failed ? "failed" : "retrying"] += 1;
      }
    }
  }
}

/** Starts delivery without waiting for it: call right after the transaction that queued mail commits. */
export function deliverOutboxSoon(): void {
  const run = deliverOutbox()
    .then(() => undefined)
    .catch((error: unknown) => console.error("[outbox] delivery run failed", error))
    .finally(() => deliveriesInFlight.delete(run));
  deliveriesInFlight.add(run);
}

const deliveriesInFlight = new Set<Promise<void>>();

/** Waits for the deliveries started by deliverOutboxSoon, e.g. before closing the database. */
export async function settleOutboxDeliveries(): Promise<void> {
  while (deliveriesInFlight.size > 0) await Promise.all(deliveriesInFlight);
}

async function claimDueMessages(): Promise<OutboxMessage[]> {
  const rows = await prisma.$queryRaw<{ id: string }[]>`
    UPDATE outbox_messages SET attempts = attempts + 1,
      next_attempt_at = clock_timestamp() + make_interval(secs => ${CLAIM_SECONDS})
    WHERE id IN (
      SELECT id FROM outbox_messages
      WHERE status = 'PENDING' AND next_attempt_at <= clock_timestamp()
      ORDER BY next_attempt_at
      LIMIT ${BATCH_SIZE}
      FOR UPDATE SKIP LOCKED)
    RETURNING id`;
  if (rows.length === 0) return [];
  return prisma.outboxMessage.findMany({ where: { id: { in: rows.map((row) => row.id) } }, orderBy: { createdAt: "asc" } });
}

async function deliverMail(message: OutboxMessage): Promise<boolean> {
  if (!mailConfigured()) return false;
  return sendMail({ to: message.to, subject: message.subject ?? "", text: message.text, html: message.html });
}

async function deliverSms(message: OutboxMessage, provider: ReturnType<typeof smsProvider>): Promise<boolean> {
  if (!provider) return false;
  await provider.send({ to: message.to, body: message.text });
  return true;
}

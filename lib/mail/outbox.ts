import { prisma, type Tx } from "../db";
import { isDatabaseUnavailable, isTransportUnreachable } from "../faults";
import type { CodeChannel, OutboxMessage } from "../generated/prisma/client";
import { assertSmsCountryAllowed, countAgainstSmsBudget, spendSmsBudget } from "../sms/gate";
import { smsProvider } from "../sms/provider";
import { mailConfigured, sendMail, type MailMessage } from "./transport";

// DECISIONS.md §2 and docs/decisions/0006: mail and SMS are written in the transaction that causes
// them and delivered after commit, so no response waits on SMTP and a rolled-back change sends
// nothing. Delivered bodies are cleared: they carry codes and links.

export const MAX_DELIVERY_ATTEMPTS = 5;
const BATCH_SIZE = 20;
/**
 * A claimed message is not picked up again by another instance for this long: the lease after
 * which a message whose sender died mid-send is tried again (ADR 0030: at least once).
 */
const CLAIM_SECONDS = 120;
/** A message whose server could not be reached at all is tried again this soon (ADR 0030). */
export const UNREACHABLE_RETRY_SECONDS = 10;
const CHANNELS: CodeChannel[] = ["EMAIL", "SMS"];

export async function enqueueMail(tx: Tx, message: MailMessage): Promise<void> {
  await tx.outboxMessage.create({
    data: { channel: "EMAIL", to: message.to, subject: message.subject, text: message.text, html: message.html ?? null },
  });
}

type SmsOutboxMessage = { to: string; text: string };

/**
 * Queues a text someone asked for (a code, or the answer that stands in for one). Every such text
 * passes the country allow-list and spends the asking requester's share, its country's share and
 * the hourly budget (lib/sms/gate.ts, ADRs 0027, 0081), unless the flow spent them already; the
 * flows check the country earlier too, to show the refusal on their own field.
 */
export async function enqueueSms(tx: Tx, message: SmsOutboxMessage, budget: { requester: string } | "already-spent"): Promise<void> {
  assertSmsCountryAllowed(message.to);
  if (budget !== "already-spent") await spendSmsBudget(tx, { requester: budget.requester, to: message.to });
  await writeSms(tx, message);
}

async function writeSms(tx: Tx, message: SmsOutboxMessage): Promise<void> {
  await tx.outboxMessage.create({ data: { channel: "SMS", to: message.to, text: message.text } });
}

/**
 * Queues a security notice by SMS (lib/users/notify.ts). The owner must hear of a change to their
 * account even while texts are paused or their country is not served: counted, never refused.
 */
export async function enqueueNoticeSms(tx: Tx, message: SmsOutboxMessage): Promise<void> {
  await countAgainstSmsBudget(tx);
  await writeSms(tx, message);
}

/** Seconds before the next try after `attempts` failed ones: 30 s, 1 min, 2 min, 4 min, … */
export function retryDelaySeconds(attempts: number): number {
  return 30 * 2 ** Math.max(0, attempts - 1);
}

type DeliveryReport = { sent: number; kept: number; failed: number; retrying: number };

/**
 * Delivers the pending messages that are due. Safe to run on several instances at once: each
 * batch is claimed with SKIP LOCKED and leased for two minutes. A message is marked sent only
 * after its server accepted it. With no transport configured for a channel, its messages are
 * marked sent but keep their bodies (the developer's inbox).
 *
 * A server that cannot be reached at all is not the message's fault: the message goes back to
 * the queue without using up an attempt, and that channel rests until the next run, so an
 * outage costs one connection attempt per run instead of one per queued message.
 */
export async function deliverOutbox(): Promise<DeliveryReport> {
  const report: DeliveryReport = { sent: 0, kept: 0, failed: 0, retrying: 0 };
  const sms = smsProvider();
  for (const channel of CHANNELS) {
    channel: for (;;) {
      const batch = await claimDueMessages(channel);
      if (batch.length === 0) break;
      for (const [index, message] of batch.entries()) {
        if (outboxState.closing) {
          // Shutting down: the message being sent is finished, the rest go back for another instance.
          await releaseUnsent(batch.slice(index), null, 0);
          break channel;
        }
        try {
          const delivered = channel === "EMAIL" ? await deliverMail(message) : await deliverSms(message, sms);
          await recordDelivered(message, delivered);
          report[delivered ? "sent" : "kept"] += 1;
        } catch (error) {
          if (isTransportUnreachable(error)) {
            await releaseUnsent(batch.slice(index), describeError(error), UNREACHABLE_RETRY_SECONDS);
            report.retrying += batch.length - index;
            break channel;
          }
          report[await recordFailure(message, error)] += 1;
        }
      }
    }
  }
  return report;
}

/**
 * How long a delivery waits for an unreachable database (a failover) to record that the server
 * accepted a message. Giving up at once would send the message again when its claim lapses; this
 * stays well inside the claim (CLAIM_SECONDS), so another instance cannot have taken it meanwhile.
 */
const RECORD_PATIENCE_SECONDS = 30;

// Outcomes are recorded with updateMany: a message deleted meanwhile (cleanup, an account
// deleted) is simply gone, not an error.
async function recordDelivered(message: OutboxMessage, delivered: boolean): Promise<void> {
  const data = delivered
    ? { status: "SENT" as const, sentAt: new Date(), text: "", html: null, lastError: null }
    : { status: "SENT" as const, sentAt: new Date(), lastError: null };
  const giveUpAt = Date.now() + RECORD_PATIENCE_SECONDS * 1000;
  for (;;) {
    try {
      await prisma.outboxMessage.updateMany({ where: { id: message.id }, data });
      return;
    } catch (error) {
      if (!isDatabaseUnavailable(error) || Date.now() >= giveUpAt) throw error;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }
}

async function recordFailure(message: OutboxMessage, error: unknown): Promise<"failed" | "retrying"> {
  const failed = message.attempts >= MAX_DELIVERY_ATTEMPTS;
  await prisma.outboxMessage.updateMany({
    where: { id: message.id },
    data: {
      status: failed ? "FAILED" : "PENDING",
      lastError: describeError(error),
      nextAttemptAt: new Date(Date.now() + retryDelaySeconds(message.attempts) * 1000),
    },
  });
  return failed ? "failed" : "retrying";
}

/** Gives claimed messages back to the queue, undoing the attempt their claim counted. */
async function releaseUnsent(messages: OutboxMessage[], lastError: string | null, retryInSeconds: number): Promise<void> {
  await prisma.outboxMessage.updateMany({
    where: { id: { in: messages.map((message) => message.id) }, status: "PENDING" },
    data: {
      attempts: { decrement: 1 },
      ...(lastError === null ? {} : { lastError }),
      nextAttemptAt: new Date(Date.now() + retryInSeconds * 1000),
    },
  });
}

function describeError(error: unknown): string {
  return String(error instanceof Error ? error.message : error).slice(0, 500);
}

/** Starts delivery without waiting for it: call right after the transaction that queued mail commits. */
export function deliverOutboxSoon(): void {
  const run = deliverOutbox()
    .then(() => undefined)
    .catch((error: unknown) => console.error("[outbox] delivery run failed", error))
    .finally(() => deliveriesInFlight.delete(run));
  deliveriesInFlight.add(run);
}

// On globalThis: Next bundles route handlers and instrumentation (which waits for these on
// shutdown) separately, each with its own copy of this module.
const deliveriesInFlight = ((globalThis as unknown as { latchkeyOutboxRuns?: Set<Promise<void>> }).latchkeyOutboxRuns ??= new Set());

// On globalThis for the same reason as deliveriesInFlight.
const outboxState = ((globalThis as unknown as { latchkeyOutboxState?: { closing: boolean } }).latchkeyOutboxState ??= { closing: false });

/** Shutdown: runs stop claiming, the message being sent is finished and the rest released. */
export function stopClaimingOutbox(): void {
  outboxState.closing = true;
}

/** Waits for the deliveries started by deliverOutboxSoon, e.g. before closing the database. */
export async function settleOutboxDeliveries(): Promise<void> {
  while (deliveriesInFlight.size > 0) await Promise.all(deliveriesInFlight);
}

async function claimDueMessages(channel: CodeChannel): Promise<OutboxMessage[]> {
  if (outboxState.closing) return [];
  const rows = await prisma.$queryRaw<{ id: string }[]>`
    UPDATE outbox_messages SET attempts = attempts + 1,
      next_attempt_at = clock_timestamp() + make_interval(secs => ${CLAIM_SECONDS})
    WHERE id IN (
      SELECT id FROM outbox_messages
      WHERE status = 'PENDING' AND channel = ${channel}::"CodeChannel" AND next_attempt_at <= clock_timestamp()
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

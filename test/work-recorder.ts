import { subscribe, unsubscribe } from "node:diagnostics_channel";
import pg from "pg";
import { deferredTaskName, deferredWork, settleAfterAnswer } from "../lib/after-answer";
import { passwordWork } from "../lib/auth/password";
import { settleOutboxDeliveries } from "../lib/mail/outbox";

// Records the work a request does before its answer: every SQL statement sent to PostgreSQL
// (at the pg driver, under Prisma, so raw queries, BEGIN and COMMIT count too) and every password
// hash or check, and every task deferred past the answer. Issue 16's tests compare these for an address with an account and one without.

export type RecordedWork = {
  /** Statement texts in the order they were sent, whitespace collapsed (values are parameters). */
  statements: string[];
  /** "hash" / "verify", one per argon2id (or bcrypt) operation. */
  passwordWork: string[];
  /** The names of the tasks deferred past the answer (lib/after-answer.ts), in order. */
  deferredTasks: string[];
  /** How the call ended: "ok", or the error's code (AppError) or name. */
  outcome: string;
};

let recording: RecordedWork | null = null;

// The outbox's delivery run starts right after a commit, on its own connections, and is no part
// of the answer (lib/mail/outbox.ts): its claims and status updates are left out. Queueing a
// message (INSERT INTO outbox_messages) is part of the answer and stays.
const DELIVERY_STATEMENT = /^(UPDATE outbox_messages SET attempts|SELECT .* FROM "public"\."outbox_messages"|UPDATE "public"\."outbox_messages")/;

const originalQuery = pg.Client.prototype.query;
pg.Client.prototype.query = function recordedQuery(this: pg.Client, ...args: unknown[]) {
  const [config] = args;
  const text = typeof config === "string" ? config : (config as { text?: string } | undefined)?.text;
  // Work deferred past an answer (lib/after-answer.ts) is no part of it, whenever it runs.
  if (recording && text && !deferredTaskName()) {
    const statement = text.replace(/\s+/g, " ").trim();
    if (!DELIVERY_STATEMENT.test(statement)) recording.statements.push(statement);
  }
  return (originalQuery as (...a: unknown[]) => unknown).apply(this, args);
} as typeof pg.Client.prototype.query;

const onPasswordWork = (message: unknown) => recording?.passwordWork.push((message as { operation: string }).operation);
const onDeferredWork = (message: unknown) => recording?.deferredTasks.push((message as { name: string }).name);

function outcomeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : error instanceof Error ? error.name : String(error);
}

/** Runs `request` and returns the work it did until it answered (one recording at a time). */
export async function recordWork(request: () => Promise<unknown>): Promise<RecordedWork> {
  if (recording) throw new Error("recordWork calls must not overlap");
  const work: RecordedWork = { statements: [], passwordWork: [], deferredTasks: [], outcome: "ok" };
  recording = work;
  subscribe(passwordWork.name, onPasswordWork);
  subscribe(deferredWork.name, onDeferredWork);
  try {
    await request();
  } catch (error) {
    work.outcome = outcomeOf(error);
  } finally {
    recording = null;
    unsubscribe(passwordWork.name, onPasswordWork);
    unsubscribe(deferredWork.name, onDeferredWork);
  }
  // What followed the answer finishes before the next recording starts.
  await settleAfterAnswer();
  await settleOutboxDeliveries();
  return work;
}

import { AsyncLocalStorage } from "node:async_hooks";
import { channel } from "node:diagnostics_channel";
import { after } from "next/server";

// Issue 16 / docs/decisions/0021: a public path that takes an address does the same work before
// its answer whether or not the address has an account. Work that only one of the two needs (the
// audit row of a failed password, the link of a reset mail) runs here, after the answer.

const tasksInFlight = new Set<Promise<void>>();
const deferredTask = new AsyncLocalStorage<string>();

/**
 * Publishes { name } for every task deferred past an answer: issue 16's tests check that an
 * address with an account and one without defer the same tasks (registering one is itself work
 * on the answer's path). Publishing with no subscriber costs nothing.
 */
export const deferredWork = channel("latchkey:deferred-work");

/** The name of the deferred task this code runs in, if any: tests tell a request's own work from it. */
export const deferredTaskName = (): string | undefined => deferredTask.getStore();

/**
 * Runs `task` once the answer is sent: through Next's after() inside a request, else (tests,
 * scripts) on the next turn of the event loop, tracked so settleAfterAnswer can wait for it.
 * A failed task is logged: the person already has their answer.
 */
export function runAfterAnswer(name: string, task: () => Promise<void>): void {
  deferredWork.publish({ name });
  const logged = () =>
    deferredTask.run(name, task).catch((error: unknown) => console.error(`[after-answer] ${name} failed`, error));
  try {
    after(logged);
    return;
  } catch {
    // after() throws outside a request scope; the deferred run below stands in for it.
  }
  const run = new Promise<void>((resolve) => setImmediate(resolve))
    .then(logged)
    .finally(() => tasksInFlight.delete(run));
  tasksInFlight.add(run);
}

/** Waits for the tasks runAfterAnswer deferred outside a request, e.g. before a test checks rows. */
export async function settleAfterAnswer(): Promise<void> {
  while (tasksInFlight.size > 0) await Promise.all(tasksInFlight);
}

import { deliverOutbox, settleOutboxDeliveries, stopClaimingOutbox } from "../mail/outbox";
import { runCleanup } from "./cleanup";

/** The first cleanup waits this long after start, so a deploy's instances do not all clean at boot. */
const FIRST_CLEANUP_DELAY_MS = 60_000;

type JobSchedule = {
  /** Minutes between cleanup runs; 0: never. */
  cleanupIntervalMinutes: number;
  /** Seconds between outbox polls; 0: only right after a request queues mail. */
  outboxPollSeconds: number;
  /**
   * The key-transparency publisher (lib/transparency/publish.ts), passed in because a job runner
   * sits below the domains; it is polled every `seconds` and publishes only when an epoch is due (then pushes it to the witnesses).
   */
  transparency?: { seconds: number; publish: () => Promise<unknown> };
};

type RunningJobs = { timers: NodeJS.Timeout[]; runs: Set<Promise<void>> };

// Next evaluates instrumentation and route modules in separate bundles; the schedule lives on
// globalThis so that the shutdown hook (scripts/server.ts) stops the same timers that were started.
const holder = globalThis as unknown as { latchkeyJobs?: RunningJobs };

/**
 * Runs the cleanup routine and the outbox worker in this process. Every instance may start them:
 * cleanup takes an advisory lock and the outbox claims rows with SKIP LOCKED, so each row is
 * handled once however many instances poll. A run that is still going when its next tick comes
 * is not started twice; a failed run is logged and retried at the next tick. Timers are unref'd
 * so they never keep a process alive.
 */
export function startBackgroundJobs(schedule: JobSchedule): void {
  if (holder.latchkeyJobs) return;
  const jobs: RunningJobs = { timers: [], runs: new Set() };
  holder.latchkeyJobs = jobs;
  const every = (name: string, firstDelayMs: number, intervalMs: number, job: () => Promise<void>) => {
    let current: Promise<void> | null = null;
    const tick = () => {
      if (current) return;
      current = job()
        .catch((error: unknown) => console.error(`[${name}] run failed`, error))
        .finally(() => {
          jobs.runs.delete(current!);
          current = null;
        });
      jobs.runs.add(current);
    };
    const first = setTimeout(() => {
      tick();
      jobs.timers.push(setInterval(tick, intervalMs).unref());
    }, firstDelayMs).unref();
    jobs.timers.push(first);
  };
  if (schedule.cleanupIntervalMinutes > 0) {
    const intervalMs = schedule.cleanupIntervalMinutes * 60_000;
    every("cleanup", Math.min(FIRST_CLEANUP_DELAY_MS, intervalMs), intervalMs, async () => {
      const result = await runCleanup();
      // One line per run, the counts as JSON: log pipelines (and the two-instance test) read them.
      if (result.ran) console.log(`[cleanup] deleted ${JSON.stringify(result.deleted)}`);
      else console.log("[cleanup] skipped: another instance holds the cleanup lock");
    });
  }
  if (schedule.outboxPollSeconds > 0) {
    const intervalMs = schedule.outboxPollSeconds * 1000;
    every("outbox", intervalMs, intervalMs, async () => {
      await deliverOutbox();
    });
  }
  const transparency = schedule.transparency;
  if (transparency && transparency.seconds > 0) {
    const intervalMs = transparency.seconds * 1000;
    every("kt-epoch", intervalMs, intervalMs, async () => {
      await transparency.publish();
    });
  }
}

/**
 * Stops the schedule and waits for what is running: a cleanup transaction, a message being sent
 * (by the worker or right after a request). Called on shutdown before the pool closes.
 */
export async function stopBackgroundJobs(): Promise<void> {
  stopClaimingOutbox();
  const jobs = holder.latchkeyJobs;
  if (jobs) {
    jobs.timers.forEach((timer) => clearTimeout(timer));
    while (jobs.runs.size > 0) await Promise.all(jobs.runs);
  }
  await settleOutboxDeliveries();
}

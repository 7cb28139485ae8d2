import { runCleanup } from "./cleanup";

/** The first run waits this long after start, so a deploy's instances do not all clean at boot. */
const FIRST_RUN_DELAY_MS = 60_000;

let started = false;

/**
 * Runs the cleanup routine every `intervalMinutes` (0: never) in this process. Every instance may
 * start it: the routine's advisory lock lets one of them work at a time. Timers are unref'd so
 * they never keep a process alive, and a failed run is logged and retried at the next tick.
 */
export function startCleanupScheduler(intervalMinutes: number): void {
  if (intervalMinutes <= 0 || started) return;
  started = true;
  const run = async () => {
    try {
      const result = await runCleanup();
      if (result.ran) console.log("[cleanup] deleted", result.deleted);
    } catch (error) {
      console.error("[cleanup] run failed", error);
    }
  };
  setTimeout(() => {
    void run();
    setInterval(() => void run(), intervalMinutes * 60_000).unref();
  }, Math.min(FIRST_RUN_DELAY_MS, intervalMinutes * 60_000)).unref();
}

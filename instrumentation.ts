// Runs once when a Next.js server starts: a bad setting stops the app here, naming the variable,
// instead of failing later on the first request that reads it. Then the cleanup scheduler starts.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { env } = await import("./lib/env");
  const { CLEANUP_INTERVAL_MINUTES } = env();
  const { startCleanupScheduler } = await import("./lib/jobs/scheduler");
  startCleanupScheduler(CLEANUP_INTERVAL_MINUTES);
}

// Runs once when a Next.js server starts: a bad setting stops the app here, naming the variable,
// instead of failing later on the first request that reads it. Then the cleanup scheduler starts.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  if (process.env.LATCHKEY_SERVER !== "1") {
    // Under plain `next start` or `next dev` the client-address header would be the client's own.
    console.error("Start Latchkey with `npm start` or `npm run dev` (scripts/server.ts), not with `next` directly.");
    process.exit(1);
  }
  const { env } = await import("./lib/env");
  const { CLEANUP_INTERVAL_MINUTES } = env();
  const { startCleanupScheduler } = await import("./lib/jobs/scheduler");
  startCleanupScheduler(CLEANUP_INTERVAL_MINUTES);
}

// Runs once when a Next.js server starts: a bad setting stops the app here, naming the variable,
// instead of failing later on the first request that reads it. Then the background jobs (cleanup,
// outbox worker) start, and the shutdown hook that scripts/server.ts calls on SIGTERM is set.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  if (process.env.LATCHKEY_SERVER !== "1") {
    // Under plain `next start` or `next dev` the client-address header would be the client's own.
    console.error("Start Latchkey with `npm start` or `npm run dev` (scripts/server.ts), not with `next` directly.");
    process.exit(1);
  }
  const { env } = await import("./lib/env");
  const { CLEANUP_INTERVAL_MINUTES, OUTBOX_POLL_SECONDS, KT_EPOCH_SECONDS, KT_LOG_KEY, KT_VRF_KEY } = env();
  const { startBackgroundJobs, stopBackgroundJobs } = await import("./lib/jobs/scheduler");
  const { disconnectPrisma } = await import("./lib/db");
  const { publishDueEpoch } = await import("./lib/transparency/publish");
  const { pushCheckpoint } = await import("./lib/transparency/cosign");
  // The instance that published pushes the checkpoint to the witnesses, after the commit (ADR 0077).
  const publishAndPush = async () => {
    if (await publishDueEpoch()) await pushCheckpoint();
  };
  // Polled four times an epoch, so an epoch is at most a quarter late; without keys, or with KT_EPOCH_SECONDS=0, no epochs.
  const transparency = KT_LOG_KEY && KT_VRF_KEY && KT_EPOCH_SECONDS > 0 ? { seconds: Math.max(1, KT_EPOCH_SECONDS / 4), publish: publishAndPush } : undefined;
  if (!KT_LOG_KEY || !KT_VRF_KEY) console.warn("Key transparency is off: set KT_LOG_KEY and KT_VRF_KEY to publish the key log (README, Configuration).");
  startBackgroundJobs({ cleanupIntervalMinutes: CLEANUP_INTERVAL_MINUTES, outboxPollSeconds: OUTBOX_POLL_SECONDS, transparency });
  // scripts/server.ts runs outside Next's bundle; globalThis is what the two share.
  (globalThis as unknown as { latchkeyShutdown?: () => Promise<void> }).latchkeyShutdown = async () => {
    await stopBackgroundJobs();
    await disconnectPrisma();
  };
}

// `npm run jobs:cleanup`: one run of the cleanup routine (lib/jobs/cleanup.ts), for cron. Exits 0
// when another instance holds the cleanup lock: that run does the work.
import { runCleanup } from "../lib/jobs/cleanup";
import { withScriptDatabase } from "./support/script-database";

async function main(): Promise<void> {
  const result = await withScriptDatabase(() => runCleanup());
  if (!result.ran) {
    console.log("Another instance is cleaning up right now; nothing to do.");
    return;
  }
  for (const [what, count] of Object.entries(result.deleted)) console.log(`${what}: ${count} deleted`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});

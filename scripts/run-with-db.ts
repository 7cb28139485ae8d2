// Starts Latchkey's server (scripts/server.ts, `--dev` for development) with a database ready: the
// server at DATABASE_URL when set, otherwise Latchkey's own embedded PostgreSQL under .data/.
// Pending migrations are applied first, so a fresh clone runs with `npm install && npm run dev`.
import { spawn } from "node:child_process";
import path from "node:path";
import { AlreadyRunningError } from "../lib/db/embedded";
import { localAuthSecret, startLocalDatabase } from "../lib/db/local-server";
import { localTransparencyKeys } from "../lib/transparency/local-keys";
import { applyMigrations } from "../lib/db/migrations";
import { unreachableDatabaseReason } from "../lib/db/reachability";
import { InvalidEnvironmentError, parseEnv } from "../lib/env";
import { startLocalCosigners } from "./support/local-cosigners";

async function main() {
  const args = process.argv.slice(2);
  const production = !args.includes("--dev");
  const childEnv: NodeJS.ProcessEnv = {
    NEXT_TELEMETRY_DISABLED: "1",
    ...process.env,
    NODE_ENV: production ? "production" : "development",
  };

  let stopDatabase = async () => {};
  if (!childEnv.DATABASE_URL) {
    const { url, server } = await startLocalDatabase();
    childEnv.DATABASE_URL = url;
    stopDatabase = server.stop;
    console.log(`Embedded PostgreSQL ready on port ${server.port} (data in .data/pg).`);
  }
  if (!childEnv.AUTH_SECRET && !production) childEnv.AUTH_SECRET = await localAuthSecret();
  if (!production) Object.assign(childEnv, await localTransparencyKeys(childEnv));
  if (!production) childEnv.KT_LOCAL_WITNESS ??= "true";
  const parsed = parseEnv(childEnv);
  const unreachable = await unreachableDatabaseReason(childEnv.DATABASE_URL);
  if (unreachable) {
    console.error(unreachable);
    await stopDatabase();
    process.exit(1);
  }

  const { applied } = await applyMigrations(childEnv.DATABASE_URL);
  console.log(applied.length ? `Applied migrations: ${applied.join(", ")}` : "Database schema is up to date.");

  let stopCosigners = () => {};
  if (parsed.KT_LOCAL_WITNESS && parsed.KT_LOG_KEY) {
    const local = await startLocalCosigners(childEnv);
    stopCosigners = local.stop;
    childEnv.KT_WITNESSES = JSON.stringify([...parsed.KT_WITNESSES, ...local.entries]);
    console.log(`Local key-transparency witness and auditor: ${local.entries.map((e) => e.url).join(", ")}.`);
  }

  // Node itself, not `npx` or the tsx wrapper: a signal sent here must reach the server directly.
  const child = spawn(process.execPath, ["--import", "tsx", path.join("scripts", "server.ts"), ...args], { stdio: ["inherit", "inherit", "inherit", "ipc"], env: childEnv });
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  process.on("SIGINT", forward);
  process.on("SIGTERM", forward);
  child.on("exit", async (code, signal) => {
    stopCosigners();
    await stopDatabase();
    process.exit(code ?? (signal ? 1 : 0));
  });
}

main().catch((error: unknown) => {
  if (error instanceof AlreadyRunningError || error instanceof InvalidEnvironmentError) {
    console.error(error.message);
  } else {
    console.error(error);
  }
  process.exit(1);
});

// The database a CLI script (admin:create, db:seed-demo, jobs:cleanup) works on, in this order:
// 1. DATABASE_URL, when set;
// 2. the embedded PostgreSQL that a running `npm run dev`/`npm start` of this checkout started:
//    its port is line 4 of .data/pg/postmaster.pid (PostgreSQL's own file), and lib/db/embedded.ts
//    gives it fixed loopback-only credentials;
// 3. otherwise the embedded server is started for the script (migrations applied) and stopped after.
// lib/db.ts reads DATABASE_URL lazily, so setting it here before the first query is enough.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { disconnectPrisma } from "../../lib/db";
import { LOCAL_DATA_DIR, startLocalDatabase } from "../../lib/db/local-server";
import { applyMigrations } from "../../lib/db/migrations";

const EMBEDDED_CREDENTIALS = "postgres:latchkey";

function runningEmbeddedServerUrl(): string | null {
  const pidFile = path.join(LOCAL_DATA_DIR, "pg", "postmaster.pid");
  if (!existsSync(pidFile)) return null;
  const lines = readFileSync(pidFile, "utf8").split("\n");
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(port) || port <= 0 || !isAlive(pid)) return null;
  return `postgres://${EMBEDDED_CREDENTIALS}@127.0.0.1:${port}/latchkey`;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Runs `work` with DATABASE_URL pointing at the script's database; describes which one on stderr. */
export async function withScriptDatabase<T>(work: () => Promise<T>): Promise<T> {
  let stop = async () => {};
  if (process.env.DATABASE_URL) {
    console.error("Using the database at DATABASE_URL.");
  } else {
    const running = runningEmbeddedServerUrl();
    if (running) {
      process.env.DATABASE_URL = running;
      console.error("Using the embedded PostgreSQL of the running dev server (.data/pg).");
    } else {
      const { url, server } = await startLocalDatabase();
      await applyMigrations(url);
      process.env.DATABASE_URL = url;
      stop = server.stop;
      console.error("Started the embedded PostgreSQL (.data/pg) for this command.");
    }
  }
  try {
    return await work();
  } finally {
    await disconnectPrisma();
    await stop();
  }
}

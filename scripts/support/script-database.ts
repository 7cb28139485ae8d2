// The database a CLI script (admin:create, db:seed-demo, jobs:cleanup) works on, in this order:
// 1. DATABASE_URL, when set;
// 2. the embedded PostgreSQL that a running `npm run dev`/`npm start` of this checkout started:
//    lib/db/local-server.ts finds its port in .data/pg/postmaster.pid;
// 3. otherwise the embedded server is started for the script (migrations applied) and stopped after.
// lib/db.ts reads DATABASE_URL lazily, so setting it here before the first query is enough.
import { disconnectPrisma } from "../../lib/db";
import { localDatabaseUrlIfRunning, startLocalDatabase } from "../../lib/db/local-server";
import { applyMigrations } from "../../lib/db/migrations";

/** Runs `work` with DATABASE_URL pointing at the script's database; describes which one on stderr. */
export async function withScriptDatabase<T>(work: () => Promise<T>): Promise<T> {
  let stop = async () => {};
  if (process.env.DATABASE_URL) {
    console.error("Using the database at DATABASE_URL.");
  } else {
    const running = localDatabaseUrlIfRunning();
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

import { readdir } from "node:fs/promises";
import path from "node:path";
import { prisma } from "../db";

// Read from the working directory, not relative to this module: inside Next's build output the
// module lives elsewhere, while the server always runs from the checkout (scripts/server.ts).
const MIGRATIONS_DIR = path.join(process.cwd(), "prisma", "migrations");

let shipped: Promise<string[]> | undefined;

/** Names of the migrations this build ships with, read once per process. */
function shippedMigrations(): Promise<string[]> {
  shipped ??= readdir(MIGRATIONS_DIR, { withFileTypes: true }).then((entries) =>
    entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name),
  );
  return shipped;
}

export type Readiness = { ready: true } | { ready: false; reason: string };

/**
 * Whether this instance can serve: PostgreSQL answers, takes writes (a connection that landed on a
 * standby, or on a replica a balancer wrongly points at, is read-only: every write would fail) and
 * every migration the build ships with has been applied (a deploy whose migrations have not run
 * yet must not take traffic).
 * Database errors propagate: the caller maps an outage to 503.
 */
export async function checkReadiness(): Promise<Readiness> {
  const expected = await shippedMigrations();
  const [{ read_only: readOnly }] = await prisma.$queryRaw<[{ read_only: boolean }]>`
    SELECT current_setting('transaction_read_only') = 'on' AS read_only`;
  if (readOnly) return { ready: false, reason: "the database is read-only (a standby, or a primary being demoted)" };
  const applied = await prisma.$queryRaw<{ migration_name: string }[]>`
    SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;
  const done = new Set(applied.map((row) => row.migration_name));
  const pending = expected.filter((name) => !done.has(name));
  return pending.length === 0 ? { ready: true } : { ready: false, reason: `${pending.length} migration(s) not applied: ${pending.join(", ")}` };
}

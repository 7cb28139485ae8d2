// `npm run db:diff -- <name>`: writes the next migration, the SQL that takes the database the
// existing migrations build to prisma/schema.prisma. Uses the server at DATABASE_URL for its shadow
// database, or a throwaway embedded PostgreSQL when DATABASE_URL is unset.
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { startEmbeddedPostgres } from "../lib/db/embedded";
import { diffMigrations, LOCKFILE_CONTENT, MIGRATIONS_DIR } from "../lib/db/migrations";

async function main(): Promise<void> {
  const name = process.argv[2];
  if (!name || !/^[a-z0-9_]+$/.test(name)) {
    throw new UsageError("usage: npm run db:diff -- <name>   (lower case letters, digits and _)");
  }
  await mkdir(MIGRATIONS_DIR, { recursive: true });
  const lockfile = path.join(MIGRATIONS_DIR, "migration_lock.toml");
  if (!existsSync(lockfile)) await writeFile(lockfile, LOCKFILE_CONTENT);

  const sql = await withServer((url) => diffMigrations(url));
  if (!sql) {
    console.log("no changes");
    return;
  }
  const directory = path.join(MIGRATIONS_DIR, `${timestamp(new Date())}_${name}`);
  await mkdir(directory);
  await writeFile(path.join(directory, "migration.sql"), sql);
  console.log(`wrote ${path.relative(process.cwd(), path.join(directory, "migration.sql"))}`);
}

async function withServer<T>(work: (serverUrl: string) => Promise<T>): Promise<T> {
  if (process.env.DATABASE_URL) return work(process.env.DATABASE_URL);
  const root = await mkdtemp(path.join(tmpdir(), "latchkey-db-diff-"));
  try {
    const server = await startEmbeddedPostgres({ dataDir: path.join(root, "pg"), persistent: false });
    try {
      return await work(server.url);
    } finally {
      await server.stop();
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

// Prisma's own migration names: UTC yyyyMMddHHmmss, so they sort in creation order.
function timestamp(date: Date): string {
  return date.toISOString().replace(/\D/g, "").slice(0, 14);
}

class UsageError extends Error {}

main().catch((error: unknown) => {
  console.error(error instanceof UsageError ? error.message : error);
  process.exit(1);
});

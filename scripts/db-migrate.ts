// `npm run db:migrate`: applies pending migrations to DATABASE_URL, like `prisma migrate deploy`.
// (`npm run dev` and `npm start` apply them by themselves; this is for servers managed elsewhere.)
import { applyMigrations } from "../lib/db/migrations";

async function main(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    console.error("DATABASE_URL is not set: it names the PostgreSQL database to migrate, e.g.");
    console.error("  DATABASE_URL=postgres://user:password@localhost:5432/latchkey npm run db:migrate");
    process.exit(1);
  }
  const { applied } = await applyMigrations(databaseUrl);
  console.log(applied.length ? `Applied ${applied.length} migration(s):\n  ${applied.join("\n  ")}` : "No pending migrations.");
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

import { afterAll, expect, inject, it } from "vitest";
import { randomBytes } from "node:crypto";
import { cp, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../generated/prisma/client";
import { applyMigrations, MIGRATIONS_DIR } from "./migrations";
import { pendingEmailOf } from "../settings/email-change";
import { databaseUrlFor, dropDatabase, withServerClient } from "../../test/postgres";

// The migration that moved pending email changes from users.pending_email into the change codes
// themselves (ADR 0082), applied to a database that holds pending changes made the old way.
const MIGRATION = "20261207220936_one_pending_contact";

const serverUrl = inject("postgresServerUrl");
const database = `migrations_${randomBytes(6).toString("hex")}`;
let migrationsDir = "";

afterAll(async () => {
  await dropDatabase(serverUrl, database);
  if (migrationsDir) await rm(migrationsDir, { recursive: true, force: true });
});

it("keeps each account's pending address, and only that address's code can complete the change", async () => {
  const url = databaseUrlFor(serverUrl, database);
  migrationsDir = await mkdtemp(path.join(tmpdir(), "latchkey-pending-contact-"));
  const before = (await readdir(MIGRATIONS_DIR)).filter((name) => name < MIGRATION);
  for (const name of before) await cp(path.join(MIGRATIONS_DIR, name), path.join(migrationsDir, name), { recursive: true });
  await applyMigrations(url, { migrationsDir });

  // As the old code left them: alice asked for first@ and then new@ (first@'s code still live);
  // bob completed a change to done@ after asking for old-request@; carol's pending later@ lost its
  // code to another account's request for the same address, while her earlier earlier@ code lives.
  const ids = await withServerClient(url, async (client) => {
    const user = async (email: string, pending: string | null) =>
      (
        await client.query<{ id: string }>(
          `INSERT INTO users (id, email, updated_at, pending_email, pending_email_expiry)
           VALUES (gen_random_uuid(), $1, now(), $2::text, CASE WHEN $2::text IS NULL THEN NULL ELSE (now() AT TIME ZONE 'UTC') + interval '9 minutes' END)
           RETURNING id`,
          [email, pending],
        )
      ).rows[0]!.id;
    const code = (userId: string, destination: string, minutesAgo: number, state: "live" | "used" | "voided" = "live") =>
      client.query(
        `INSERT INTO one_time_codes (id, channel, destination, purpose, code_hash, expires_at, used_at, user_id, created_at)
         VALUES (gen_random_uuid(), 'EMAIL', $1, 'EMAIL_CHANGE', 'hash',
                 (now() AT TIME ZONE 'UTC') + CASE WHEN $3 = 'voided' THEN interval '-1 minute' ELSE interval '9 minutes' END,
                 CASE WHEN $3 = 'used' THEN (now() AT TIME ZONE 'UTC') END, $2, (now() AT TIME ZONE 'UTC') - make_interval(mins => $4))`,
        [destination, userId, state, minutesAgo],
      );
    const alice = await user("alice@example.test", "new@example.test");
    await code(alice, "first@example.test", 3);
    await code(alice, "new@example.test", 1);
    const bob = await user("done@example.test", null);
    await code(bob, "old-request@example.test", 3);
    await code(bob, "done@example.test", 1, "used");
    const carol = await user("carol@example.test", "later@example.test");
    await code(carol, "earlier@example.test", 3);
    await code(carol, "later@example.test", 1, "voided");
    return { alice, bob, carol };
  });

  await cp(path.join(MIGRATIONS_DIR, MIGRATION), path.join(migrationsDir, MIGRATION), { recursive: true });
  expect(await applyMigrations(url, { migrationsDir })).toEqual({ applied: [MIGRATION] });

  const db = new PrismaClient({ adapter: new PrismaPg({ connectionString: url }) });
  try {
    expect(await pendingEmailOf(ids.alice, db)).toBe("new@example.test");
    expect(await pendingEmailOf(ids.bob, db)).toBeNull();
    expect(await pendingEmailOf(ids.carol, db)).toBeNull();
    const live = await db.oneTimeCode.findMany({ where: { usedAt: null, expiresAt: { gt: new Date() } }, select: { destination: true } });
    expect(live).toEqual([{ destination: "new@example.test" }]);
  } finally {
    await db.$disconnect();
  }
});

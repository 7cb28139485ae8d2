import { randomBytes } from "node:crypto";
import { prisma } from "../lib/db";
import { createSession, findLiveSessionById } from "../lib/auth/sessions";
import { createTestDevice } from "./db";
import type { DeviceKind } from "../lib/generated/prisma/enums";

// Helpers for the settings integration tests (not a test file itself).

/** A device of `userId` with a live session on it, as the settings functions receive it. */
export async function signIn(userId: string, kind: DeviceKind = "BROWSER", name = `${kind} device`) {
  const device = await createTestDevice(userId, { kind, name, lastSeenAt: new Date() });
  const { sessionId, token } = await createSession(prisma, { userId, deviceId: device.id, kind });
  const session = await findLiveSessionById(sessionId);
  if (!session) throw new Error("session not live");
  return { device, session, token };
}

/** Gives a device the keys a messaging client publishes, so tests can see them deleted. */
export async function publishKeys(deviceId: string) {
  const bytes = (length: number) => randomBytes(length);
  await prisma.identityKey.create({ data: { deviceId, publicKey: bytes(33), registrationId: 42 } });
  await prisma.signedPreKey.create({
    data: { deviceId, keyId: 1, publicKey: bytes(33), signature: bytes(64), expiresAt: new Date(Date.now() + 86_400_000) },
  });
  await prisma.oneTimePreKey.create({ data: { deviceId, keyId: 1, publicKey: bytes(33) } });
  await prisma.kyberPreKey.create({ data: { deviceId, keyId: 1, publicKey: bytes(1569), signature: bytes(64) } });
  await prisma.kyberLastResortKey.create({ data: { deviceId, keyId: 2, publicKey: bytes(1569), signature: bytes(64) } });
}

export async function keyCount(deviceId: string): Promise<number> {
  const where = { deviceId };
  const counts = await Promise.all([
    prisma.identityKey.count({ where }),
    prisma.signedPreKey.count({ where }),
    prisma.oneTimePreKey.count({ where }),
    prisma.kyberPreKey.count({ where }),
    prisma.kyberLastResortKey.count({ where }),
  ]);
  return counts.reduce((sum, count) => sum + count, 0);
}

/**
 * Makes the next statements of `event` on `table` fail inside PostgreSQL, as a crash half-way
 * through a transaction would; `clearInjectedFailures` removes it.
 */
export async function injectFailure(table: string, event: "INSERT" | "UPDATE" | "DELETE"): Promise<void> {
  await prisma.$executeRawUnsafe(`
    CREATE OR REPLACE FUNCTION injected_failure() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'injected failure'; END $$`);
  await prisma.$executeRawUnsafe(
    `CREATE TRIGGER injected_failure BEFORE ${event} ON ${table} FOR EACH ROW EXECUTE FUNCTION injected_failure()`,
  );
}

export async function clearInjectedFailures(): Promise<void> {
  const triggers = await prisma.$queryRaw<{ table: string; name: string }[]>`
    SELECT event_object_table AS table, trigger_name AS name FROM information_schema.triggers
    WHERE trigger_name LIKE 'injected_%' GROUP BY 1, 2`;
  for (const trigger of triggers) await prisma.$executeRawUnsafe(`DROP TRIGGER ${trigger.name} ON ${trigger.table}`);
}

/**
 * Another account takes `column`'s new value the moment this transaction writes it: a BEFORE
 * UPDATE trigger inserts the competing row first, so the write hits the unique constraint after
 * every check in the code has passed — the race of two concurrent changes, made deterministic.
 */
export async function injectConcurrentClaim(column: "email" | "phone_number"): Promise<void> {
  await prisma.$executeRawUnsafe(`
    CREATE OR REPLACE FUNCTION injected_claim() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.${column} IS DISTINCT FROM OLD.${column} AND NEW.${column} IS NOT NULL THEN
        INSERT INTO users (id, ${column}, updated_at) VALUES (gen_random_uuid(), NEW.${column}, now());
      END IF;
      RETURN NEW;
    END $$`);
  await prisma.$executeRawUnsafe(
    `CREATE TRIGGER injected_claim BEFORE UPDATE ON users FOR EACH ROW WHEN (pg_trigger_depth() = 0) EXECUTE FUNCTION injected_claim()`,
  );
}

/** The newest message queued for `to`, as the outbox holds it (no transport in these tests). */
export async function lastMessageTo(to: string) {
  return prisma.outboxMessage.findFirst({ where: { to }, orderBy: { createdAt: "desc" } });
}

export function codeIn(text: string): string {
  const match = /\b(\d{6})\b/.exec(text);
  if (!match?.[1]) throw new Error(`no code in: ${text}`);
  return match[1];
}

/** A session whose last proof of identity is `minutes` old. */
export async function ageSignIn(sessionId: string, minutes: number) {
  await prisma.session.update({ where: { id: sessionId }, data: { authenticatedAt: new Date(Date.now() - minutes * 60_000) } });
  return (await findLiveSessionById(sessionId))!;
}

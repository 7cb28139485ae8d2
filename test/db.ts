import { prisma } from "../lib/db";
import { settleAfterAnswer } from "../lib/after-answer";
import { settleOutboxDeliveries } from "../lib/mail/outbox";
import type { Prisma } from "../lib/db";
import { randomBytes } from "node:crypto";

/** Empties every application table of this test file's database (migrations history stays). */
export async function resetDatabase(): Promise<void> {
  await settleAfterAnswer(); // so would work deferred past an answer
  await settleOutboxDeliveries(); // a delivery still running would race the TRUNCATE
  const rows = await prisma.$queryRaw<{ tablename: string }[]>`
    SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`;
  const tables = rows.map((row) => `"public"."${row.tablename}"`).join(", ");
  if (tables) await prisma.$executeRawUnsafe(`TRUNCATE ${tables} RESTART IDENTITY CASCADE`);
}

function uniqueSuffix(): string {
  return randomBytes(4).toString("hex");
}

/** A verified, complete, active user; override any field. */
export async function createTestUser(overrides: Partial<Prisma.UserCreateInput> = {}) {
  const suffix = uniqueSuffix();
  return prisma.user.create({
    data: {
      email: `user-${suffix}@example.test`,
      emailVerified: true,
      isProfileComplete: true,
      name: "Test",
      username: `user_${suffix}`,
      fullName: "Test User",
      country: "US",
      dob: new Date("1990-01-01"),
      ...overrides,
    },
  });
}

export async function createTestDevice(
  userId: string,
  overrides: Partial<Prisma.DeviceUncheckedCreateInput> = {},
) {
  return prisma.device.create({
    data: { userId, name: "Test device", kind: "CLIENT", ...overrides },
  });
}

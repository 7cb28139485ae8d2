import { randomBytes } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { prisma } from "../db";
import { createTestDevice, createTestUser, resetDatabase } from "../../test/db";
import { CLEANUP_LOCK_NAME, runCleanup } from "./cleanup";

beforeEach(resetDatabase);

const NOW = new Date("2026-03-15T12:00:00.000Z");
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000);
const bytes = () => randomBytes(33);

/** Two rows of every kind: one the routine must delete, one it must keep. */
async function seedBothSidesOfEveryRule() {
  const user = await createTestUser();
  const device = await createTestDevice(user.id);
  const code = { channel: "EMAIL" as const, destination: "x@example.test", purpose: "SIGNIN" as const, codeHash: "h" };
  await prisma.oneTimeCode.createMany({ data: [{ ...code, expiresAt: daysAgo(0.01) }, { ...code, expiresAt: daysAgo(-0.01) }] });
  const link = { purpose: "PASSWORD_RESET" as const, userId: user.id };
  await prisma.linkToken.createMany({
    data: [
      { ...link, tokenHash: "expired", expiresAt: daysAgo(0.01) },
      { ...link, tokenHash: "valid", expiresAt: daysAgo(-1) },
    ],
  });
  const session = { userId: user.id, deviceId: device.id, kind: "CLIENT" as const };
  await prisma.session.createMany({
    data: [
      { ...session, tokenHash: "expired", expiresAt: daysAgo(0.01) },
      { ...session, tokenHash: "live", expiresAt: daysAgo(-30) },
    ],
  });
  await prisma.passkeyChallenge.createMany({
    data: [
      { challengeHash: "expired", ceremony: "SIGN_IN", expiresAt: daysAgo(0.001) },
      { challengeHash: "live", ceremony: "SIGN_IN", expiresAt: daysAgo(-0.001) },
    ],
  });
  await prisma.twoStepChallenge.createMany({
    data: [
      { tokenHash: "expired", userId: user.id, kind: "BROWSER", via: "browser", expiresAt: daysAgo(0.001) },
      { tokenHash: "live", userId: user.id, kind: "BROWSER", via: "browser", expiresAt: daysAgo(-0.001) },
    ],
  });
  const ecKey = (keyId: number, claimedAt: Date | null) => ({
    deviceId: device.id,
    keyId,
    publicKey: bytes(),
    used: claimedAt !== null,
    claimedAt,
  });
  // Claimed 31 days ago (deleted), claimed 29 days ago (kept), never claimed (kept).
  await prisma.oneTimePreKey.createMany({ data: [ecKey(1, daysAgo(31)), ecKey(2, daysAgo(29)), ecKey(3, null)] });
  await prisma.kyberPreKey.createMany({
    data: [ecKey(1, daysAgo(31)), ecKey(2, daysAgo(29)), ecKey(3, null)].map((row) => ({ ...row, signature: bytes() })),
  });
  const signed = (keyId: number, supersededAt: Date | null) => ({
    deviceId: device.id,
    keyId,
    publicKey: bytes(),
    signature: bytes(),
    expiresAt: daysAgo(-30),
    supersededAt,
  });
  await prisma.signedPreKey.createMany({ data: [signed(1, daysAgo(31)), signed(2, daysAgo(29)), signed(3, null)] });
  await prisma.rateLimitHit.createMany({
    data: [
      { key: "k", createdAt: daysAgo(1.1) },
      { key: "k", createdAt: daysAgo(0.5) },
    ],
  });
  await prisma.rateLimitBucket.createMany({
    data: [
      { key: "past", resetAt: daysAgo(0.01) },
      { key: "future", resetAt: daysAgo(-0.01) },
    ],
  });
  const mail = { channel: "EMAIL" as const, to: "x@example.test", text: "" };
  await prisma.outboxMessage.createMany({
    data: [
      { ...mail, status: "SENT", sentAt: daysAgo(31) },
      { ...mail, status: "SENT", sentAt: daysAgo(29) },
      { ...mail, status: "PENDING", createdAt: daysAgo(40) },
      { ...mail, status: "FAILED", createdAt: daysAgo(40) },
    ],
  });
  // Sign-ups nobody confirmed: a day and an hour old (deleted), 23 hours old (kept); never an
  // unconfirmed admin from admin:create, nor an unconfirmed account that has signed in (ADR 0075).
  const unconfirmed = { emailVerified: false, phoneVerified: false, createdAt: daysAgo(25 / 24) };
  await createTestUser({ ...unconfirmed, email: "squatted@example.test" });
  await createTestUser({ ...unconfirmed, email: "fresh-sign-up@example.test", createdAt: daysAgo(23 / 24) });
  await createTestUser({ ...unconfirmed, email: "new-admin@example.test", role: "ADMIN" });
  await createTestUser({ ...unconfirmed, email: "signed-in@example.test", lastLoginAt: daysAgo(1.5) });
  await prisma.dailyMetric.create({ data: { day: daysAgo(400), name: "codes_sent", count: 3 } });
  await prisma.auditEvent.create({ data: { action: "user.signed_in", userId: user.id, createdAt: daysAgo(400) } });
  return { user, device };
}

describe("runCleanup", () => {
  it("deletes exactly what has expired or outlived its retention, and counts it", async () => {
    await seedBothSidesOfEveryRule();

    const result = await runCleanup(NOW);

    expect(result).toEqual({
      ran: true,
      deleted: {
        expiredCodes: 1,
        expiredLinkTokens: 1,
        expiredSessions: 1,
        expiredPasskeyChallenges: 1,
        expiredTwoStepChallenges: 1,
        claimedPreKeys: 1,
        claimedPqPreKeys: 1,
        supersededSignedPreKeys: 1,
        rateLimitHits: 1,
        rateLimitBuckets: 1,
        deliveredOutbox: 1,
        unconfirmedSignUps: 1,
      },
    });
    expect(await prisma.oneTimeCode.count()).toBe(1);
    expect((await prisma.linkToken.findMany()).map((row) => row.tokenHash)).toEqual(["valid"]);
    expect((await prisma.session.findMany()).map((row) => row.tokenHash)).toEqual(["live"]);
    expect((await prisma.passkeyChallenge.findMany()).map((row) => row.challengeHash)).toEqual(["live"]);
    expect((await prisma.twoStepChallenge.findMany()).map((row) => row.tokenHash)).toEqual(["live"]);
    const keyIds = (rows: { keyId: number }[]) => rows.map((row) => row.keyId).sort();
    expect(keyIds(await prisma.oneTimePreKey.findMany())).toEqual([2, 3]);
    expect(keyIds(await prisma.kyberPreKey.findMany())).toEqual([2, 3]);
    expect(keyIds(await prisma.signedPreKey.findMany())).toEqual([2, 3]);
    expect(await prisma.rateLimitHit.count()).toBe(1);
    expect((await prisma.rateLimitBucket.findMany()).map((row) => row.key)).toEqual(["future"]);
    expect(await prisma.outboxMessage.count()).toBe(3);
    expect(await prisma.user.count({ where: { email: "squatted@example.test" } })).toBe(0);
    expect(await prisma.user.count({ where: { emailVerified: false } })).toBe(3);
    // History the dashboard needs is never cleaned up.
    expect(await prisma.dailyMetric.count()).toBe(1);
    expect(await prisma.auditEvent.count({ where: { action: "user.signed_in" } })).toBe(1);
    // The expired session's ending is recorded for the account's activity (ADR 68).
    expect(await prisma.auditEvent.count({ where: { action: "session.expired" } })).toBe(1);
    expect(await prisma.auditEvent.count()).toBe(2);
  });

  it("is idempotent: a second run finds nothing to delete", async () => {
    await seedBothSidesOfEveryRule();
    await runCleanup(NOW);
    const second = await runCleanup(NOW);
    expect(second.ran && Object.values(second.deleted).every((count) => count === 0)).toBe(true);
  });

  it("does nothing while another instance holds the cleanup lock", async () => {
    await seedBothSidesOfEveryRule();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let lockTaken!: () => void;
    const taken = new Promise<void>((resolve) => (lockTaken = resolve));
    const otherInstance = prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${CLEANUP_LOCK_NAME}, 0))`;
      lockTaken();
      await held;
    });
    await taken;

    expect(await runCleanup(NOW)).toEqual({ ran: false, reason: "already_running" });
    expect(await prisma.session.count()).toBe(2);

    release();
    await otherInstance;
    expect((await runCleanup(NOW)).ran).toBe(true);
  });
});

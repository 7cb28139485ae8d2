import { randomBytes } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { prisma } from "../db";
import { createTestDevice, createTestUser, resetDatabase } from "../../test/db";
import { env } from "../env";
import { publishEpoch } from "../transparency/publish";
import { getAdminMetrics, STALLED_EPOCHS, TREND_DAYS } from "./metrics";

beforeEach(resetDatabase);

const NOW = new Date("2026-03-15T12:00:00.000Z");
const hoursAgo = (hours: number) => new Date(NOW.getTime() - hours * 3_600_000);
const daysAgo = (days: number) => hoursAgo(days * 24);
const dayString = (date: Date) => date.toISOString().slice(0, 10);
const key = () => randomBytes(33);

async function givePreKeys(deviceId: string, ec: { unclaimed: number; claimed: number }, pq: { unclaimed: number }) {
  await prisma.identityKey.create({ data: { deviceId, publicKey: key(), registrationId: 1 } });
  let keyId = 1;
  for (let i = 0; i < ec.unclaimed + ec.claimed; i += 1) {
    const used = i >= ec.unclaimed;
    await prisma.oneTimePreKey.create({ data: { deviceId, keyId: keyId++, publicKey: key(), used, claimedAt: used ? NOW : null } });
  }
  for (let i = 0; i < pq.unclaimed; i += 1) {
    await prisma.kyberPreKey.create({ data: { deviceId, keyId: keyId++, publicKey: key(), signature: randomBytes(64) } });
  }
}

describe("getAdminMetrics", () => {
  it("counts every figure of a known population", async () => {
    // Users: 6 in all.
    const admin = await createTestUser({ role: "ADMIN", lastLoginAt: hoursAgo(1), createdAt: daysAgo(40) });
    const recent = await createTestUser({ lastLoginAt: daysAgo(3), createdAt: hoursAgo(2) }); // signed up today
    await createTestUser({ emailVerified: false, phoneNumber: "+12125550183", phoneVerified: true, createdAt: daysAgo(1.5) });
    await createTestUser({ emailVerified: false, isProfileComplete: false, createdAt: daysAgo(1.5) }); // unverified
    await createTestUser({ isActive: false, lastLoginAt: daysAgo(10), createdAt: daysAgo(5) });
    await createTestUser({ isProfileComplete: false, lastLoginAt: hoursAgo(23), createdAt: daysAgo(31) });

    // Codes: DailyMetric counters today, 5 days ago and outside the 30 days; live codes.
    const today = new Date(`${dayString(NOW)}T00:00:00Z`);
    await prisma.dailyMetric.createMany({
      data: [
        { day: today, name: "codes_sent", count: 10 },
        { day: today, name: "codes_verified", count: 7 },
        { day: today, name: "codes_locked", count: 1 },
        { day: daysAgo(5), name: "codes_sent", count: 4 },
        { day: daysAgo(5), name: "codes_verified", count: 1 },
        { day: daysAgo(5), name: "codes_locked", count: 2 },
        { day: daysAgo(45), name: "codes_sent", count: 100 },
      ],
    });
    const code = { channel: "EMAIL" as const, destination: "x@example.test", purpose: "SIGNIN" as const, codeHash: "h" };
    await prisma.oneTimeCode.createMany({
      data: [
        { ...code, expiresAt: new Date(NOW.getTime() + 60_000) }, // pending
        { ...code, expiresAt: new Date(NOW.getTime() + 60_000), usedAt: NOW }, // used
        { ...code, expiresAt: new Date(NOW.getTime() + 60_000), attempts: 5, maxAttempts: 5 }, // exhausted
        { ...code, expiresAt: hoursAgo(1) }, // expired
      ],
    });

    // Outbox: 2 pending, 1 failed, 1 sent.
    const mail = { channel: "EMAIL" as const, to: "x@example.test", text: "t" };
    await prisma.outboxMessage.createMany({
      data: [{ ...mail }, { ...mail }, { ...mail, status: "FAILED" }, { ...mail, status: "SENT", sentAt: NOW }],
    });

    // Devices: 3 active (one seen recently, one registered 3 days ago), 1 revoked 2 days ago.
    const phone = await createTestDevice(admin.id, { createdAt: daysAgo(40), lastSeenAt: hoursAgo(5) });
    const laptop = await createTestDevice(recent.id, { createdAt: daysAgo(3), lastSeenAt: daysAgo(8) });
    const browser = await createTestDevice(recent.id, { kind: "BROWSER", createdAt: daysAgo(40) });
    await createTestDevice(admin.id, { createdAt: daysAgo(40), revoked: true, revokedAt: daysAgo(2) });

    // Sessions: 2 live, 1 expired, 1 unexpired but idle (unused for longer than CLIENT_IDLE_DAYS):
    // only the phone and the browser are signed in now, so only they count as active devices.
    const session = (deviceId: string, userId: string, expiresAt: Date, lastSeenAt = NOW) =>
      prisma.session.create({ data: { userId, deviceId, kind: "CLIENT", tokenHash: randomBytes(16).toString("hex"), expiresAt, lastSeenAt } });
    await session(phone.id, admin.id, daysAgo(-10));
    await session(browser.id, recent.id, daysAgo(-10));
    await session(laptop.id, recent.id, hoursAgo(1));
    await session(laptop.id, recent.id, daysAgo(-10), daysAgo(91));

    // Prekeys: the phone has 12 unclaimed EC keys (+3 claimed) and 2 Kyber; the laptop 9 and 10.
    await givePreKeys(phone.id, { unclaimed: 12, claimed: 3 }, { unclaimed: 2 });
    await givePreKeys(laptop.id, { unclaimed: 9, claimed: 0 }, { unclaimed: 10 });

    // Passkeys: the admin has two, one other account one.
    const passkey = (userId: string) =>
      prisma.passkey.create({
        data: { userId, credentialId: randomBytes(16).toString("base64url"), publicKey: key(), backedUp: false, deviceType: "SINGLE_DEVICE", aaguid: "", name: "Passkey" },
      });
    await passkey(admin.id);
    await passkey(admin.id);
    await passkey(recent.id);

    const metrics = await getAdminMetrics(NOW);

    expect(metrics.users).toEqual({
      total: 6,
      verified: 5,
      profileComplete: 4,
      active: 5,
      admins: 1,
      signedInLast24h: 2,
      signedInLast7d: 3,
      signedUpLast24h: 1,
      withPasskeys: 2,
      withTwoStep: 0,
    });
    expect(metrics.codes).toEqual({
      sentToday: 10,
      verifiedToday: 7,
      lockedToday: 1,
      sentLast30d: 14,
      verifiedLast30d: 8,
      lockedLast30d: 3,
      pending: 1,
    });
    expect(metrics.outbox).toEqual({ pending: 2, failed: 1 });
    expect(metrics.devices).toEqual({ active: 2, seenLast7d: 1, sessionsActive: 2 });
    expect(metrics.prekeys).toEqual({
      devicesPublishing: 2,
      devicesLowOnPreKeys: 1,
      devicesLowOnPqPreKeys: 1,
      unclaimedPreKeys: 21,
      unclaimedPqPreKeys: 12,
    });

    const trends = metrics.trends;
    expect(trends).toHaveLength(TREND_DAYS);
    expect(trends[0]!.day).toBe(dayString(daysAgo(TREND_DAYS - 1)));
    expect(trends.at(-1)!.day).toBe(dayString(NOW));
    const on = (date: Date) => trends.find((day) => day.day === dayString(date))!;

    // Sign-ups: 1 today, 2 the day before yesterday (36 h ago), 1 five days ago; none older in range.
    expect(trends.reduce((sum, day) => sum + day.signUps, 0)).toBe(4);
    expect(on(NOW).signUps).toBe(1);
    expect(on(daysAgo(1.5)).signUps).toBe(2);
    expect(on(daysAgo(5)).signUps).toBe(1);

    expect(on(NOW)).toMatchObject({ codesSent: 10, codesVerified: 7, codesLocked: 1, codeSuccessRate: 0.7 });
    expect(on(daysAgo(5))).toMatchObject({ codesSent: 4, codesVerified: 1, codesLocked: 2, codeSuccessRate: 0.25 });
    expect(on(daysAgo(1)).codeSuccessRate).toBeNull();

    // Devices: 3 registered 40 days ago; the laptop joins 3 days ago; one is revoked 2 days ago.
    expect(trends[0]!.activeDevices).toBe(3);
    expect(on(daysAgo(4)).activeDevices).toBe(3);
    expect(on(daysAgo(3)).activeDevices).toBe(4);
    expect(on(daysAgo(2)).activeDevices).toBe(3);
    expect(on(NOW).activeDevices).toBe(3);
  });

  it("sums the lookup counters of today and of the last 7 UTC days", async () => {
    const counter = (date: Date, name: string, count: number) => prisma.dailyMetric.create({ data: { day: new Date(dayString(date)), name, count } });
    await counter(NOW, "username_lookups", 4);
    await counter(NOW, "username_matches", 1);
    await counter(daysAgo(6), "username_lookups", 10);
    await counter(daysAgo(7), "username_lookups", 100); // eight days including today: outside
    await counter(NOW, "phone_lookups", 2);
    await counter(NOW, "phone_numbers_looked_up", 150);
    await counter(daysAgo(3), "phone_numbers_looked_up", 50);
    await counter(daysAgo(3), "phone_matches", 7);
    await counter(NOW, "codes_sent", 9);
    const { lookups } = await getAdminMetrics(NOW);
    expect(lookups).toEqual({
      today: { usernameLookups: 4, usernameMatches: 1, phoneLookups: 2, phoneNumbersLookedUp: 150, phoneMatches: 0 },
      last7d: { usernameLookups: 14, usernameMatches: 1, phoneLookups: 2, phoneNumbersLookedUp: 200, phoneMatches: 7 },
    });
  });

  it("answers zeros for an empty database, with every trend day present", async () => {
    const metrics = await getAdminMetrics(NOW);
    expect(metrics.users.total).toBe(0);
    expect(metrics.users.withPasskeys).toBe(0);
    expect(metrics.codes).toEqual({
      sentToday: 0,
      verifiedToday: 0,
      lockedToday: 0,
      sentLast30d: 0,
      verifiedLast30d: 0,
      lockedLast30d: 0,
      pending: 0,
    });
    expect(metrics.prekeys.devicesPublishing).toBe(0);
    expect(metrics.trends).toHaveLength(TREND_DAYS);
    expect(metrics.trends.every((day) => day.signUps === 0 && day.activeDevices === 0 && day.codeSuccessRate === null)).toBe(true);
  });
});

describe("key transparency figures", () => {
  it("show the log's size, its last epoch's age and pending updates, and call a log stalled after three missed epochs", async () => {
    expect((await getAdminMetrics(NOW)).transparency).toMatchObject({ logSize: 0, lastEpochAt: null, stalled: false });
    const { KT_EPOCH_SECONDS } = env();
    const published = NOW.getTime() - STALLED_EPOCHS * KT_EPOCH_SECONDS * 1000;
    await publishEpoch(() => published);
    await createTestUser(); // its username label waits for the next epoch
    expect((await getAdminMetrics(NOW)).transparency).toEqual({
      logSize: 1,
      lastEpochAt: new Date(published).toISOString(),
      lastEpochAgeSeconds: STALLED_EPOCHS * KT_EPOCH_SECONDS,
      pendingUpdates: 1,
      epochSeconds: KT_EPOCH_SECONDS,
      stalled: false,
    });
    expect((await getAdminMetrics(new Date(NOW.getTime() + 1000))).transparency.stalled).toBe(true);
  });
});

// Demo data for the admin dashboard: a few hundred accounts with devices, keys (random bytes in
// libsignal's shapes, not real key pairs), sessions, codes, outbox rows, audit history and 30 days of
// code counters. Every demo address ends in @demo.latchkey.test. Used by `npm run db:seed-demo` and
// by the e2e run, which screenshots the dashboard with it.
import { randomBytes, randomInt } from "node:crypto";
import { prisma } from "../../lib/db";
import type { Prisma } from "../../lib/generated/prisma/client";
import type { DeviceKind } from "../../lib/generated/prisma/enums";

export const DEMO_DOMAIN = "demo.latchkey.test";
const USERS = 300;
const DAY_MS = 86_400_000;

const FIRST = ["Ada", "Ben", "Chloé", "Dev", "Emma", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Kemi", "Liam", "Mei", "Noah", "Olga", "Priya", "Quinn", "Rosa", "Sam", "Tariq"];
const LAST = ["Okafor", "Schmidt", "Tanaka", "Silva", "Nguyen", "Kowalski", "Haddad", "Larsen", "Moreau", "Patel", "Rossi", "Walsh"];
const DEVICE_NAMES = ["Pixel 8", "iPhone 15", "Galaxy S24", "ThinkPad", "MacBook Air", "Signal Desktop", "iPad"];
const BROWSERS = ["Firefox on Linux", "Chrome on Windows", "Safari on macOS", "Chrome on Android"];

const chance = (probability: number) => Math.random() < probability;
const pick = <T>(items: readonly T[]): T => items[randomInt(items.length)]!;
const ago = (days: number) => new Date(Date.now() - days * DAY_MS);
const ecPublicKey = () => Buffer.concat([Buffer.from([0x05]), randomBytes(32)]);
const kyberPublicKey = () => Buffer.concat([Buffer.from([0x08]), randomBytes(1568)]);
const signature = () => randomBytes(64);

function demoUsers(): Prisma.UserCreateManyInput[] {
  return Array.from({ length: USERS }, (_, index) => {
    const first = pick(FIRST);
    const last = pick(LAST);
    const createdAt = ago(Math.random() ** 1.5 * 90); // more sign-ups recently
    const byPhone = chance(0.25);
    const verified = chance(0.88);
    const complete = verified && chance(0.85);
    const lastLogin = verified && chance(0.75) ? new Date(Math.max(createdAt.getTime(), ago(Math.random() * 20).getTime())) : null;
    return {
      email: byPhone ? null : `${first}.${last}.${index}@${DEMO_DOMAIN}`.toLowerCase(),
      phoneNumber: byPhone ? `+1212555${String(index).padStart(4, "0")}` : null,
      emailVerified: !byPhone && verified,
      phoneVerified: byPhone && verified,
      isProfileComplete: complete,
      isActive: index < 2 || chance(0.97),
      role: index < 2 ? "ADMIN" : "USER",
      name: complete ? first : null,
      fullName: complete ? `${first} ${last}` : null,
      username: complete ? `${first}_${last}_${index}`.toLowerCase().normalize("NFD").replace(/[^a-z0-9_]/g, "") : null,
      country: complete ? pick(["US", "DE", "JP", "BR", "NG", "FR", "IN"]) : null,
      dob: complete ? new Date(Date.UTC(1960 + randomInt(45), randomInt(12), 1 + randomInt(28))) : null,
      createdAt,
      lastLoginAt: lastLogin,
    };
  });
}

async function seedDevicesAndKeys(users: { id: string; createdAt: Date; lastLoginAt: Date | null; isActive: boolean }[]) {
  for (const user of users.filter((candidate) => candidate.lastLoginAt)) {
    const since = (user.createdAt.getTime() - Date.now()) / -DAY_MS;
    const browser = await prisma.device.create({
      data: { userId: user.id, kind: "BROWSER", name: pick(BROWSERS), createdAt: ago(Math.random() * since), lastSeenAt: user.lastLoginAt },
    });
    if (user.isActive && chance(0.7)) await demoSession(user.id, browser.id, "BROWSER", user.lastLoginAt!);
    if (!chance(0.6)) continue;
    const revoked = chance(0.1);
    const client = await prisma.device.create({
      data: {
        userId: user.id,
        kind: "CLIENT",
        name: pick(DEVICE_NAMES),
        createdAt: ago(Math.random() * since),
        lastSeenAt: ago(Math.random() * 10),
        revoked,
        revokedAt: revoked ? ago(Math.random() * 25) : null,
      },
    });
    if (revoked) continue;
    if (user.isActive) await demoSession(user.id, client.id, "CLIENT", client.lastSeenAt!);
    await prisma.identityKey.create({ data: { deviceId: client.id, publicKey: ecPublicKey(), registrationId: 1 + randomInt(16380) } });
    await prisma.signedPreKey.create({
      data: { deviceId: client.id, keyId: 1, publicKey: ecPublicKey(), signature: signature(), expiresAt: ago(-30) },
    });
    await prisma.kyberLastResortKey.create({ data: { deviceId: client.id, keyId: 1, publicKey: kyberPublicKey(), signature: signature() } });
    // Some devices are running low, so the key-stock card has something to report.
    const ecCount = chance(0.2) ? randomInt(10) : 20 + randomInt(30);
    await prisma.oneTimePreKey.createMany({
      data: Array.from({ length: ecCount }, (_, index) => {
        const claimed = chance(0.2);
        return { deviceId: client.id, keyId: 100 + index, publicKey: ecPublicKey(), used: claimed, claimedAt: claimed ? ago(Math.random() * 40) : null };
      }),
    });
    await prisma.kyberPreKey.createMany({
      data: Array.from({ length: chance(0.2) ? randomInt(10) : 10 + randomInt(10) }, (_, index) => ({
        deviceId: client.id,
        keyId: 100 + index,
        publicKey: kyberPublicKey(),
        signature: signature(),
      })),
    });
  }
}

async function demoSession(userId: string, deviceId: string, kind: DeviceKind, lastSeenAt: Date) {
  await prisma.session.create({
    data: {
      userId,
      deviceId,
      kind,
      tokenHash: randomBytes(32).toString("hex"), // no token exists for it: nobody can use a demo session
      expiresAt: new Date(lastSeenAt.getTime() + 30 * DAY_MS),
      ticketRedeemedAt: lastSeenAt,
      lastSeenAt,
      ip: `198.51.100.${randomInt(1, 255)}`,
      userAgent: "Demo",
    },
  });
}

async function seedHistory(users: { id: string; createdAt: Date; lastLoginAt: Date | null; emailVerified: boolean; phoneVerified: boolean }[]) {
  const events: Prisma.AuditEventCreateManyInput[] = [];
  for (const user of users) {
    if (user.emailVerified || user.phoneVerified) events.push({ action: "user.signed_up", userId: user.id, actorId: user.id, createdAt: user.createdAt });
    if (user.lastLoginAt) {
      events.push({ action: "user.signed_in", userId: user.id, actorId: user.id, ip: "198.51.100.7", createdAt: user.lastLoginAt });
    }
  }
  await prisma.auditEvent.createMany({ data: events });

  const counters: Prisma.DailyMetricCreateManyInput[] = [];
  for (let daysBack = 0; daysBack < 30; daysBack += 1) {
    const day = new Date(Math.floor(ago(daysBack).getTime() / DAY_MS) * DAY_MS);
    const sent = 20 + randomInt(40);
    counters.push(
      { day, name: "codes_sent", count: sent },
      { day, name: "codes_verified", count: Math.round(sent * (0.65 + Math.random() * 0.3)) },
      { day, name: "codes_locked", count: randomInt(4) },
    );
  }
  await prisma.dailyMetric.createMany({ data: counters, skipDuplicates: true });

  await prisma.outboxMessage.createMany({
    data: [
      { channel: "EMAIL", to: `waiting@${DEMO_DOMAIN}`, subject: "Demo message", text: "Demo" },
      { channel: "SMS", to: "+12125559999", text: "Demo", status: "FAILED", attempts: 5, lastError: "Demo: provider unreachable" },
    ],
  });
  await prisma.oneTimeCode.createMany({
    data: Array.from({ length: 4 }, (_, index) => ({
      channel: "EMAIL" as const,
      destination: `pending${index}@${DEMO_DOMAIN}`,
      purpose: "SIGNIN" as const,
      codeHash: randomBytes(32).toString("hex"), // matches no code
      expiresAt: ago(-0.005),
    })),
  });
}

/** Seeds the demo data into the database `prisma` points at; null when it is already there. */
export async function seedDemoData(): Promise<{ users: number; devices: number } | null> {
  if (await prisma.user.findFirst({ where: { email: { endsWith: `@${DEMO_DOMAIN}` } }, select: { id: true } })) return null;
  const users = await prisma.user.createManyAndReturn({
    data: demoUsers(),
    select: { id: true, createdAt: true, lastLoginAt: true, isActive: true, emailVerified: true, phoneVerified: true },
  });
  await seedDevicesAndKeys(users);
  await seedHistory(users);
  const devices = await prisma.device.count({ where: { userId: { in: users.map((user) => user.id) } } });
  return { users: users.length, devices };
}


import { prisma } from "../db";

// "Download your data" (issue 13): what the account holds about its owner, as JSON. Every field
// is chosen by name (Prisma `select`), never spread from a row, so a secret column added later
// (a hash, a key, a ticket) cannot leak into the file by default.

export async function exportAccountData(userId: string) {
  const [profile, devices, sessions, passkeys, linkedIdentities, activity] = await Promise.all([
    prisma.user.findUniqueOrThrow({
      where: { id: userId },
      select: {
        id: true, email: true, phoneNumber: true, username: true, name: true, fullName: true,
        country: true, state: true, zip: true, dob: true, emailVerified: true, phoneVerified: true,
        createdAt: true, lastLoginAt: true, passwordChangedAt: true,
      },
    }),
    prisma.device.findMany({
      where: { userId },
      select: { id: true, name: true, kind: true, revoked: true, revokedAt: true, createdAt: true, lastSeenAt: true },
      orderBy: { createdAt: "asc" },
    }),
    prisma.session.findMany({
      where: { userId },
      select: { id: true, deviceId: true, kind: true, ip: true, userAgent: true, createdAt: true, lastSeenAt: true, expiresAt: true },
      orderBy: { createdAt: "asc" },
    }),
    prisma.passkey.findMany({ where: { userId }, select: { name: true, createdAt: true, lastUsedAt: true }, orderBy: { createdAt: "asc" } }),
    prisma.linkedIdentity.findMany({
      where: { userId },
      select: { provider: true, issuer: true, subject: true, email: true, linkedAt: true, lastUsedAt: true },
      orderBy: { linkedAt: "asc" },
    }),
    prisma.auditEvent.findMany({
      where: { userId },
      select: { action: true, createdAt: true, ip: true, userAgent: true, deviceId: true, actorId: true },
      orderBy: { createdAt: "asc" },
    }),
  ]);
  return {
    profile,
    devices,
    sessions,
    passkeys,
    linkedIdentities,
    // Who acted is said only as "you" or "an administrator": the admin's id is theirs, not the user's.
    securityActivity: activity.map(({ actorId, ...event }) => ({ ...event, byAdmin: actorId !== null && actorId !== userId })),
  };
}

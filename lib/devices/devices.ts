import { prisma, type Tx } from "../db";
import { hashToken, randomToken } from "../crypto";
import { recordAudit } from "../audit";
import { liveSessionWhere } from "../auth/sessions";
import { DEVICE_NAME_MAX, deviceNameFromUserAgent } from "./name";
import { removeDeviceKeys } from "../keys/remove";
import { holdUserRow } from "../users/lock";
import { AppError, notFound } from "../errors";
import type { RequestContext } from "../request-context";
import { MAX_MESSAGING_DEVICES } from "../limits";
import { labels } from "../../packages/client/src/transparency/index";
import { queueLabels } from "../transparency/pending";

/**
 * The browser device for a sign-in: the one named by the browser's device cookie when it belongs
 * to this user and is not revoked, else a new one (and a new cookie value to set).
 */
export async function findOrCreateBrowserDevice(
  tx: Tx,
  input: { userId: string; browserKey?: string | null; userAgent?: string | null },
): Promise<{ deviceId: string; isNew: boolean; browserKey: string }> {
  if (input.browserKey) {
    const existing = await tx.device.findUnique({ where: { browserKeyHash: hashToken(input.browserKey) } });
    if (existing && existing.userId === input.userId && !existing.revoked) {
      return { deviceId: existing.id, isNew: false, browserKey: input.browserKey };
    }
  }
  const browserKey = randomToken();
  const device = await tx.device.create({
    data: {
      userId: input.userId,
      kind: "BROWSER",
      name: deviceNameFromUserAgent(input.userAgent),
      browserKeyHash: hashToken(browserKey),
      lastSeenAt: new Date(),
    },
  });
  return { deviceId: device.id, isNew: true, browserKey };
}

export const deviceLimitReached = () =>
  new AppError("device_limit_reached", `This account already has ${MAX_MESSAGING_DEVICES} messaging devices. Remove one, then sign in again.`, 409);

/**
 * A new messaging-client device (each API sign-in is a new install of the client), refused past
 * MAX_MESSAGING_DEVICES. The user row is locked first so two sign-ins cannot both take the last place.
 */
export async function createClientDevice(tx: Tx, input: { userId: string; name: string }): Promise<string> {
  await tx.$queryRaw`SELECT 1 FROM users WHERE id = ${input.userId}::uuid FOR UPDATE`;
  const active = await tx.device.count({ where: { userId: input.userId, kind: "CLIENT", revoked: false } });
  if (active >= MAX_MESSAGING_DEVICES) throw deviceLimitReached();
  const device = await tx.device.create({
    data: { userId: input.userId, kind: "CLIENT", name: input.name.slice(0, DEVICE_NAME_MAX), lastSeenAt: new Date() },
  });
  return device.id;
}

/**
 * The user's devices that are not revoked, newest activity first. `_count.sessions` counts only
 * live sessions: a session that expired or went idle keeps its row until something touches it.
 */
export async function listDevices(userId: string) {
  return prisma.device.findMany({
    where: { userId, revoked: false },
    orderBy: [{ lastSeenAt: { sort: "desc", nulls: "last" } }, { createdAt: "desc" }],
    include: {
      _count: { select: { sessions: { where: liveSessionWhere() } } },
      identityKey: { select: { registrationId: true } },
      // The newest session's User-Agent and address tell the device apart from its siblings.
      sessions: { select: { userAgent: true, ip: true }, orderBy: { createdAt: "desc" }, take: 1 },
    },
  });
}

export async function renameDevice(
  userId: string,
  deviceId: string,
  name: string,
  context?: Partial<RequestContext>,
): Promise<void> {
  const trimmed = name.trim();
  if (!trimmed || trimmed.length > DEVICE_NAME_MAX) {
    throw new AppError("invalid_name", `A device name has 1 to ${DEVICE_NAME_MAX} characters.`, 400);
  }
  await prisma.$transaction(async (tx) => {
    const { count } = await tx.device.updateMany({ where: { id: deviceId, userId, revoked: false }, data: { name: trimmed } });
    if (count !== 1) throw notFound("No such device.");
    await recordAudit({ action: "device.renamed", userId, deviceId, context, metadata: { name: trimmed } }, tx);
  });
}

/**
 * Revokes one of the user's devices in one transaction: its sessions end (browser and API token
 * alike), every key it published is deleted so it can never be served again, and the event is
 * audited. 404 when the device is not the user's (or already revoked).
 */
export async function revokeDevice(
  input: { userId: string; deviceId: string; actorId?: string; context?: Partial<RequestContext> },
  tx?: Tx,
): Promise<void> {
  const run = async (db: Tx) => {
    if (!(await holdUserRow(db, input.userId))) throw notFound("No such device.");
    const { count } = await db.device.updateMany({
      where: { id: input.deviceId, userId: input.userId, revoked: false },
      data: { revoked: true, revokedAt: new Date(), browserKeyHash: null },
    });
    if (count !== 1) throw notFound("No such device.");
    await db.session.deleteMany({ where: { deviceId: input.deviceId } });
    await removeDeviceKeys(db, input.deviceId);
    await queueLabels(db, [labels.deviceKeys(input.userId)]);
    await recordAudit(
      {
        action: input.actorId && input.actorId !== input.userId ? "admin.device_revoked" : "device.revoked",
        userId: input.userId,
        actorId: input.actorId ?? input.userId,
        deviceId: input.deviceId,
        context: input.context,
      },
      db,
    );
  };
  if (tx) await run(tx);
  else await prisma.$transaction(run);
}

/**
 * After a password reset or change has ended sessions, the messaging devices left without a live
 * session are revoked with their keys (ADR 0065): their token is dead, so nobody can use them
 * again, yet their keys would go on being served to people starting a conversation, possibly an
 * intruder's. A client that signs in again gets a new device. Returns their names for the notice.
 */
export async function revokeClientDevicesWithoutSession(
  tx: Tx,
  input: { userId: string; context?: Partial<RequestContext> },
): Promise<string[]> {
  const devices = await tx.device.findMany({
    where: { userId: input.userId, kind: "CLIENT", revoked: false, sessions: { none: { expiresAt: { gt: new Date() } } } },
    select: { id: true, name: true },
    orderBy: { createdAt: "asc" },
  });
  for (const device of devices) await revokeDevice({ userId: input.userId, deviceId: device.id, context: input.context }, tx);
  return devices.map((device) => device.name);
}

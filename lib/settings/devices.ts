import { isIP } from "node:net";
import { prisma } from "../db";
import { recordAudit } from "../audit";
import { revokeAllSessions } from "../auth/sessions";
import { listDevices, renameDevice, revokeDevice } from "../devices/devices";
import { browserOnSystem, formFactorOf, type FormFactor } from "../devices/user-agent";
import type { RequestContext } from "../request-context";
import type { SessionRef } from "../auth/recent-sign-in";

export type AccountDevice = {
  id: string;
  name: string;
  kind: "BROWSER" | "CLIENT";
  firstSeenAt: Date;
  lastSeenAt: Date | null;
  isCurrent: boolean;
  /** Whether any session is signed in on it now (a browser that signed out keeps its device). */
  signedIn: boolean;
  /** A messaging client that has published its identity key. */
  hasKeys: boolean;
  /** For its icon: a messaging app, or a browser on a phone, a tablet or a computer. */
  formFactor: FormFactor;
  /** "Chrome on Windows", from the newest session's User-Agent; null for apps and when unknown. */
  software: string | null;
  /**
   * The IP address its newest session came from, null when unknown. Shown as it is: a place
   * name would need a GeoIP database, which Latchkey does not ship or configure.
   */
  ipAddress: string | null;
  /** Why its last session ended, when none is signed in now and the account's activity says (ADR 68). */
  signedOutBecause: SignedOutReason | null;
};

export type SignedOutReason = "idle" | "expired" | "signed_out" | "revoked";

/** The activity events that end a session on the device they name, and what each means. */
const SESSION_ENDINGS: Record<string, SignedOutReason> = {
  "session.idle_timeout": "idle",
  "session.expired": "expired",
  "user.signed_out": "signed_out",
  "session.revoked": "revoked",
};

/** The newest session-ending event of each of `deviceIds`. */
async function lastSessionEndings(userId: string, deviceIds: string[]): Promise<Map<string, SignedOutReason>> {
  if (deviceIds.length === 0) return new Map();
  const events = await prisma.auditEvent.findMany({
    where: { userId, deviceId: { in: deviceIds }, action: { in: Object.keys(SESSION_ENDINGS) } },
    orderBy: [{ deviceId: "asc" }, { createdAt: "desc" }],
    distinct: ["deviceId"],
    select: { deviceId: true, action: true },
  });
  return new Map(events.map((event) => [event.deviceId!, SESSION_ENDINGS[event.action]!]));
}

/** Every active device of the account, browsers and messaging clients alike, the caller's marked. */
export async function listAccountDevices(session: Pick<SessionRef, "userId" | "deviceId">): Promise<AccountDevice[]> {
  const devices = await listDevices(session.userId);
  const endings = await lastSessionEndings(
    session.userId,
    devices.filter((device) => device._count.sessions === 0).map((device) => device.id),
  );
  return devices.map((device) => ({
    id: device.id,
    name: device.name,
    kind: device.kind,
    firstSeenAt: device.createdAt,
    lastSeenAt: device.lastSeenAt,
    isCurrent: device.id === session.deviceId,
    signedIn: device._count.sessions > 0,
    hasKeys: device.identityKey !== null,
    formFactor: formFactorOf(device.kind, device.sessions[0]?.userAgent),
    software: device.kind === "BROWSER" ? browserOnSystem(device.sessions[0]?.userAgent) : null,
    // The server writes "unknown" when it had no socket address (lib/http/client-address.ts).
    ipAddress: isIP(device.sessions[0]?.ip ?? "") ? device.sessions[0]!.ip : null,
    signedOutBecause: device._count.sessions === 0 ? (endings.get(device.id) ?? null) : null,
  }));
}

/** Renames one of the caller's own devices; 404 "No such device." for anyone else's. */
export async function renameAccountDevice(
  session: Pick<SessionRef, "userId">,
  input: { deviceId: string; name: string },
  context?: Partial<RequestContext>,
): Promise<void> {
  await renameDevice(session.userId, input.deviceId, input.name, context);
}

/**
 * Signs one of the caller's own devices out: its sessions end at once and its keys are deleted
 * (lib/devices/devices.ts revokeDevice). 404 "No such device." for a device that is not theirs.
 */
export async function signOutDevice(
  session: Pick<SessionRef, "userId">,
  deviceId: string,
  context?: Partial<RequestContext>,
): Promise<void> {
  await revokeDevice({ userId: session.userId, deviceId, context });
}

/**
 * Revokes every device of the account except the caller's, and ends every other session (other
 * sessions on the caller's own device too), in one transaction.
 */
export async function signOutEverywhereElse(
  session: Pick<SessionRef, "id" | "userId" | "deviceId">,
  context?: Partial<RequestContext>,
): Promise<{ devicesRevoked: number; sessionsEnded: number }> {
  return prisma.$transaction(async (tx) => {
    const others = await tx.device.findMany({
      where: { userId: session.userId, revoked: false, id: { not: session.deviceId } },
      select: { id: true },
    });
    for (const device of others) await revokeDevice({ userId: session.userId, deviceId: device.id, context }, tx);
    const sessionsEnded = await revokeAllSessions(session.userId, tx, session.id);
    await recordAudit(
      {
        action: "session.revoked_all_others",
        userId: session.userId,
        deviceId: session.deviceId,
        context,
        metadata: { devicesRevoked: others.length, sessionsEnded },
      },
      tx,
    );
    return { devicesRevoked: others.length, sessionsEnded };
  });
}

/**
 * Whether a device belongs with the active ones: signed in now, or a messaging app, which keeps its
 * published keys (and so can be messaged) until it is signed out. A browser without a session is
 * only history: nothing on it can be signed out any more.
 */
export const isActiveDevice = (device: AccountDevice): boolean => device.signedIn || device.kind !== "BROWSER";

/** The account's devices split for the devices page: active ones (this device first), then the history. */
export function groupDevices(devices: AccountDevice[]): { active: AccountDevice[]; signedOut: AccountDevice[] } {
  const active = devices.filter(isActiveDevice).toSorted((a, b) => Number(b.isCurrent) - Number(a.isCurrent));
  return { active, signedOut: devices.filter((device) => !isActiveDevice(device)) };
}

/** Whether any device other than the current one is signed in: only then is there somewhere else to sign out. */
export const signedInElsewhere = (devices: AccountDevice[]): boolean =>
  devices.some((device) => !device.isCurrent && isActiveDevice(device));

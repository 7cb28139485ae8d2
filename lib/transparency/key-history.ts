/**
 * The owner's view of their keys label (issue 23): every published version with its epoch, time
 * and the devices it added and removed, and a warning for any device added without the account
 * having uploaded that identity key. An upload through the API records a `keys.uploaded` audit
 * event for the device in the same transaction as the key (lib/keys/upload.ts); an identity key
 * written straight into the database (an intruder, a rogue operator) has none. This check runs
 * on the server, so it catches a database-level intruder, not a server lying on purpose: against
 * that, the owner's own client verifies the log with `monitor` in the client package.
 */
import { decodeDeviceKeys, labels } from "../../packages/client/src/transparency/index";
import { prisma } from "../db";

export interface KeyHistoryVersion {
  version: number;
  epoch: number;
  publishedAt: Date;
  /** null for a tombstone (the account was deleted). */
  devices: string[] | null;
  added: string[];
  removed: string[];
  /** Devices this version added whose identity key no upload by the account explains. */
  unexplained: string[];
}

export interface KeyHistory {
  versions: KeyHistoryVersion[];
  /** The name of every device the versions mention that still has a row (a planted one may not). */
  deviceNames: Record<string, string>;
}

export async function keyHistory(userId: string): Promise<KeyHistory> {
  const versions = await prisma.ktLabelVersion.findMany({
    where: { label: new Uint8Array(labels.deviceKeys(userId)) },
    orderBy: { version: "asc" },
    select: { version: true, epoch: true, value: true },
  });
  if (versions.length === 0) return { versions: [], deviceNames: {} };
  const epochs = await prisma.ktEpoch.findMany({ where: { index: { in: versions.map((v) => v.epoch) } }, select: { index: true, timestamp: true } });
  const uploaded = await prisma.auditEvent.findMany({ where: { userId, action: "keys.uploaded" }, select: { deviceId: true }, distinct: ["deviceId"] });
  const explained = new Set(uploaded.map((event) => event.deviceId));
  const publishedAt = new Map(epochs.map((epoch) => [epoch.index, new Date(Number(epoch.timestamp))]));

  let previous: string[] = [];
  const history = versions.map((row): KeyHistoryVersion => {
    // An erased value (before a tombstone) reads as unknown: nothing added, nothing removed.
    const devices = row.value === null ? null : row.value.length === 0 ? null : decodeDeviceKeys(new Uint8Array(row.value)).map((d) => d.deviceId);
    const now = devices ?? [];
    const added = now.filter((id) => !previous.includes(id));
    const removed = row.value === null ? [] : previous.filter((id) => !now.includes(id));
    if (row.value !== null) previous = now;
    return { version: row.version, epoch: row.epoch, publishedAt: publishedAt.get(row.epoch)!, devices, added, removed, unexplained: added.filter((id) => !explained.has(id)) };
  });
  const mentioned = [...new Set(history.flatMap((v) => [...v.added, ...v.removed]))];
  const named = await prisma.device.findMany({ where: { id: { in: mentioned }, userId }, select: { id: true, name: true } });
  return { versions: history, deviceNames: Object.fromEntries(named.map((d) => [d.id, d.name])) };
}

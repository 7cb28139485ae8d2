/**
 * Which epoch holds an identity key the directory serves (issue 23: every key answer says so).
 * A key is published from the epoch of the first version of its account's keys label that holds
 * it, as long as every later version still does; otherwise, not yet (the next epoch will), it is
 * pending. The label's versions are few (one per device change), so they are read whole.
 */
import { bytesEqual, decodeDeviceKeys, labels } from "../../packages/client/src/transparency/index";
import { prisma, type Tx } from "../db";

export type PublishedEpoch = number | "pending";

export async function identityKeyEpochs(userId: string, devices: readonly { deviceId: string; identityKey: Uint8Array }[], db: Tx = prisma): Promise<Map<string, PublishedEpoch>> {
  const versions = await db.ktLabelVersion.findMany({
    where: { label: new Uint8Array(labels.deviceKeys(userId)) },
    orderBy: { version: "desc" },
    select: { value: true, epoch: true },
  });
  const result = new Map<string, PublishedEpoch>();
  for (const device of devices) {
    let since: PublishedEpoch = "pending";
    for (const version of versions) {
      // An erased value precedes a tombstone, which holds no device: the walk never gets past it.
      const held = version.value !== null && decodeDeviceKeys(new Uint8Array(version.value)).some((d) => d.deviceId === device.deviceId && bytesEqual(d.identityKey, device.identityKey));
      if (!held) break;
      since = version.epoch;
    }
    result.set(device.deviceId, since);
  }
  return result;
}

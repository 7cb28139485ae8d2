import type { Tx } from "../db";

/**
 * Deletes every key a device published, in the caller's transaction: a revoked device's keys must
 * never be served again. The device code asks for this; the key tables stay this folder's own (as
 * Signal-Server's KeysManager hands device code the rows a removed device loses).
 */
export async function removeDeviceKeys(tx: Tx, deviceId: string): Promise<void> {
  const where = { deviceId };
  await tx.oneTimePreKey.deleteMany({ where });
  await tx.kyberPreKey.deleteMany({ where });
  await tx.kyberLastResortKey.deleteMany({ where });
  await tx.signedPreKey.deleteMany({ where });
  await tx.identityKey.deleteMany({ where });
}

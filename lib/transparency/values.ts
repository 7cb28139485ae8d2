/** The value a label has now, read from the account tables (ADR 0060's labels and values). */
import { encodeDeviceKeys, TOMBSTONE, utf8ToBytes } from "../../packages/client/src/transparency/index";
import type { Tx } from "../db";

const LABEL = /^(keys|username|phone):(.+)$/;

/**
 * keys:<userId> → the sorted (deviceId, identity key) set of the account's devices that are not
 * revoked and have an identity key (the empty set when none); username:/phone: → the account's id
 * while discovery (lib/discovery/lookup.ts) would find it that way: active, opted in, and for a
 * number, verified. A deleted account, or one not discoverable: the tombstone.
 */
export async function currentValue(tx: Tx, label: Uint8Array): Promise<Uint8Array> {
  const match = LABEL.exec(new TextDecoder().decode(label));
  if (!match) throw new Error("kt_pending_updates holds an unknown label");
  const [, kind, key] = match as unknown as [string, string, string];
  if (kind === "keys") {
    const user = await tx.user.findUnique({
      where: { id: key },
      select: { devices: { where: { revoked: false, identityKey: { isNot: null } }, select: { id: true, identityKey: { select: { publicKey: true } } } } },
    });
    if (!user) return TOMBSTONE;
    return encodeDeviceKeys(user.devices.map((d) => ({ deviceId: d.id, identityKey: new Uint8Array(d.identityKey!.publicKey) })));
  }
  const user =
    kind === "username"
      ? await tx.user.findFirst({ where: { username: key, discoverableByUsername: true, isActive: true }, select: { id: true } })
      : await tx.user.findFirst({ where: { phoneNumber: key, phoneVerified: true, discoverableByPhone: true, isActive: true }, select: { id: true } });
  return user ? utf8ToBytes(user.id) : TOMBSTONE;
}

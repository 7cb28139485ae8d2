/**
 * Labels waiting for the next epoch. A change that alters a keys label's value (a first identity
 * key, a revoked device, a deleted account) calls queueLabels in its own transaction; username
 * and phone labels are queued by a trigger on users (migration kt_label_triggers), so no flow that
 * edits those columns can skip it. The publisher reads each label's value when it publishes.
 */
import { bytesToHex, labels } from "../../packages/client/src/transparency/index";
import type { Tx } from "../db";

/**
 * Marks labels as changed. DO UPDATE, not DO NOTHING: it locks a row the publisher may be
 * deleting, so the publisher waits for this transaction and then reads its change.
 */
export async function queueLabels(tx: Tx, labels: readonly Uint8Array[]): Promise<void> {
  if (labels.length === 0) return;
  await tx.$executeRaw`
    INSERT INTO kt_pending_updates (label)
    SELECT decode(label, 'hex') FROM unnest(${labels.map(bytesToHex)}::text[]) AS l(label)
    ON CONFLICT (label) DO UPDATE SET created_at = now()`;
}

/** Every label an account can hold: its keys, and its username and phone while it has them. */
export function accountLabels(user: { id: string; username: string | null; phoneNumber: string | null }): Uint8Array[] {
  return [labels.deviceKeys(user.id), ...(user.username ? [labels.username(user.username)] : []), ...(user.phoneNumber ? [labels.phone(user.phoneNumber)] : [])];
}

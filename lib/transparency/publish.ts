/**
 * The epoch publisher (ADR 0060): takes the pending labels, adds each changed label's next version
 * to the prefix tree, appends the log entry (timestamp, prefix root) and signs the checkpoint, all
 * in one transaction under an advisory lock, so instances publish one epoch at a time and a failed
 * publish leaves the pending labels for the next. Epoch index i is prefix-tree version i + 1.
 * Once a tombstone is published, the label's earlier values and openings are erased; the tombstone
 * is the latest version, so an erased value is never needed for a proof.
 */
import {
  bytesEqual,
  bytesToHex,
  commit,
  formatCheckpoint,
  hexToBytes,
  insertLeaves,
  logEntryLeafHash,
  newOpening,
  proveSearchKey,
  signNote,
  treeHash,
  type PrefixLeaf,
} from "../../packages/client/src/transparency/index";
import { prisma, type Tx } from "../db";
import { env } from "../env";
import { transparencyKeys } from "./keys";
import { postgresPrefixStore } from "./prefix-store";
import { currentValue } from "./values";

const PUBLISH_LOCK_NAME = "latchkey:kt-publish";

export interface PublishedEpoch {
  index: number;
  /** Labels that got a new version in this epoch (none: a heartbeat). */
  versions: number;
}

/** The log's leaf hashes in order: the whole RFC 6962 tree is rebuilt from them. */
export async function logLeafHashes(tx: Tx): Promise<Uint8Array[]> {
  const rows = await tx.ktEpoch.findMany({ orderBy: { index: "asc" }, select: { leafHash: true } });
  return rows.map((row) => new Uint8Array(row.leafHash));
}

/** Publishes one epoch now, after any publish running elsewhere has finished. */
export async function publishEpoch(now: () => number = Date.now): Promise<PublishedEpoch> {
  return prisma.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${PUBLISH_LOCK_NAME}, 0))`;
      return publishLocked(tx, now());
    },
    { timeout: 120_000, maxWait: 120_000 },
  );
}

/** Publishes an epoch when the newest one is at least KT_EPOCH_SECONDS old (the scheduler's tick). */
export async function publishDueEpoch(now: () => number = Date.now): Promise<PublishedEpoch | null> {
  return prisma.$transaction(
    async (tx) => {
      const [lock] = await tx.$queryRaw<{ locked: boolean }[]>`SELECT pg_try_advisory_xact_lock(hashtextextended(${PUBLISH_LOCK_NAME}, 0)) AS locked`;
      if (!lock?.locked) return null;
      const newest = await tx.ktEpoch.findFirst({ orderBy: { index: "desc" }, select: { timestamp: true } });
      const time = now();
      if (newest && time - Number(newest.timestamp) < env().KT_EPOCH_SECONDS * 1000) return null;
      return publishLocked(tx, time);
    },
    { timeout: 120_000 },
  );
}

async function publishLocked(tx: Tx, timestamp: number): Promise<PublishedEpoch> {
  const keys = transparencyKeys();
  const hashes = await logLeafHashes(tx);
  const index = hashes.length;
  const store = postgresPrefixStore(tx);

  const pending = await tx.$queryRaw<{ label: string }[]>`DELETE FROM kt_pending_updates RETURNING encode(label, 'hex') AS label`;
  const leaves: PrefixLeaf[] = [];
  const rows: { label: Uint8Array; version: number; searchKey: Uint8Array; commitment: Uint8Array; value: Uint8Array; opening: Uint8Array; epoch: number }[] = [];
  const tombstones: { label: Uint8Array; version: number }[] = [];
  for (const label of pending.map((row) => hexToBytes(row.label)).sort((a, b) => (bytesToHex(a) < bytesToHex(b) ? -1 : 1))) {
    const value = await currentValue(tx, label);
    const latest = await tx.ktLabelVersion.findFirst({ where: { label }, orderBy: { version: "desc" }, select: { version: true, value: true } });
    // Nothing changed (a toggle and its undo in one epoch), or nothing to withdraw.
    if (latest ? latest.value !== null && bytesEqual(new Uint8Array(latest.value), value) : value.length === 0) continue;
    const version = latest ? latest.version + 1 : 0;
    const { searchKey } = proveSearchKey(keys.vrfSecretKey, label, version);
    const opening = newOpening();
    const commitment = commit(opening, label, version, value);
    leaves.push({ searchKey, commitment });
    rows.push({ label, version, searchKey, commitment, value, opening, epoch: index });
    if (value.length === 0) tombstones.push({ label, version });
  }

  const { root, writes } = await insertLeaves(store, index + 1, leaves);
  await store.putNodes(writes, index + 1);
  const entry = { timestamp, prefixRoot: root };
  const leafHash = logEntryLeafHash(entry);
  const checkpoint = signNote(formatCheckpoint({ origin: keys.origin, size: index + 1, rootHash: treeHash([...hashes, leafHash]), extensions: [] }), [keys.signer]);
  const bytes = (data: Uint8Array) => new Uint8Array(data) as Uint8Array<ArrayBuffer>;
  await tx.ktEpoch.create({ data: { index, timestamp: BigInt(timestamp), prefixRoot: bytes(root), leafHash: bytes(leafHash), checkpoint } });
  if (rows.length > 0) {
    await tx.ktLabelVersion.createMany({
      data: rows.map((r) => ({ ...r, label: bytes(r.label), searchKey: bytes(r.searchKey), commitment: bytes(r.commitment), value: bytes(r.value), opening: bytes(r.opening) })),
    });
  }
  // The tombstone keeps its (empty) value and opening, so searches still prove the withdrawal.
  for (const { label, version } of tombstones) {
    await tx.ktLabelVersion.updateMany({ where: { label: bytes(label), version: { lt: version } }, data: { value: null, opening: null } });
  }
  return { index, versions: rows.length };
}

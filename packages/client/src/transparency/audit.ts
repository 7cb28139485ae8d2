/**
 * The auditor's replay (issue 23): rebuilds the prefix tree from each epoch's published inserts
 * and the epoch log from each epoch's entry, so a checkpoint is cosigned only when every epoch's
 * root is the one the replay gives. The tree can only grow: insertLeaves refuses a search key it
 * already holds, so a removed, rewritten or repeated leaf changes a root and fails here.
 */
import { bytesEqual, bytesToHex } from "./bytes";
import { check } from "./errors";
import { logEntryLeafHash, type LogEntry } from "./log-entry";
import { treeHash } from "./merkle";
import type { Checkpoint } from "./note";
import { insertLeaves, MemoryPrefixStore, type PrefixLeaf } from "./prefix-tree";

/** One epoch's audit data: its log entry and the prefix-tree leaves it added, by search key. */
export interface EpochAudit {
  index: number;
  entry: LogEntry;
  inserted: PrefixLeaf[];
}

export class LogAuditor {
  private readonly store = new MemoryPrefixStore();
  private readonly leafHashes: Uint8Array[] = [];
  private lastTimestamp = 0;

  /** How many epochs have been replayed. */
  get size(): number {
    return this.leafHashes.length;
  }

  /** Replays the next epoch; throws a TransparencyError when its data does not give its root. */
  async replay(epoch: EpochAudit): Promise<void> {
    check(epoch.index === this.size, "malformed", `expected epoch ${this.size}, got ${epoch.index}`);
    check(epoch.entry.timestamp >= this.lastTimestamp, "checkpoint_invalid", `epoch ${epoch.index} is older than the one before it`);
    // One canonical order (ascending search keys) also rules out a leaf listed twice.
    const keys = epoch.inserted.map((leaf) => bytesToHex(leaf.searchKey));
    check(keys.every((key, i) => i === 0 || keys[i - 1]! < key), "malformed", `epoch ${epoch.index}'s leaves are not in ascending order`);
    const { root, writes } = await insertLeaves(this.store, epoch.index + 1, epoch.inserted);
    check(bytesEqual(root, epoch.entry.prefixRoot), "prefix_proof_invalid", `epoch ${epoch.index}'s prefix root is not the tree its published changes build`);
    this.store.putNodes(writes, epoch.index + 1);
    this.leafHashes.push(logEntryLeafHash(epoch.entry));
    this.lastTimestamp = epoch.entry.timestamp;
  }

  /** Checks that the replayed log is exactly the checkpoint's tree. */
  verifyCheckpoint(checkpoint: Checkpoint): void {
    check(checkpoint.size === this.size, "checkpoint_invalid", `replayed ${this.size} epochs, the checkpoint has ${checkpoint.size}`);
    check(bytesEqual(treeHash(this.leafHashes), checkpoint.rootHash), "checkpoint_invalid", "the checkpoint's root is not the log of the replayed epochs");
  }
}

/**
 * An owner's check of their own label: every version published since the last check, with its
 * value and the epoch it first appeared in, so the owner can spot a version none of their devices
 * caused (a key added behind their back) and say when it appeared.
 *
 * For each version the answer proves that its epoch's prefix tree holds it (with the served value's
 * commitment) and the previous epoch's does not, both epochs being leaves of the verified
 * checkpoint; the greatest version is proved as in a search, so none can be left out at the end.
 */
import { bytesEqual } from "./bytes";
import { commit } from "./commitment";
import { check } from "./errors";
import { logEntryLeafHash, type LogEntry } from "./log-entry";
import { verifyInclusion } from "./merkle";
import { verifyPrefixProof, type PrefixProof } from "./prefix-tree";
import { verifySearch, type SearchAnswer, type TransparencyPolicy, type TrustedCheckpoint, type VerifiedSearch } from "./verify";
import { verifySearchKey } from "./vrf";

/** A leaf of the epoch log and its inclusion proof in the checkpoint's tree. */
export interface EpochProof {
  index: number;
  entry: LogEntry;
  inclusion: Uint8Array[];
}

export interface VersionAppearance {
  version: number;
  value: Uint8Array;
  opening: Uint8Array;
  vrfProof: Uint8Array;
  /** The first epoch whose prefix tree holds the version, and the proof that it does. */
  epoch: EpochProof;
  present: PrefixProof;
  /** The epoch before it, whose tree lacks the version; absent only for the log's first epoch. */
  before?: { epoch: EpochProof; absent: PrefixProof };
}

export interface MonitorAnswer extends SearchAnswer {
  /** Every version after the caller's last seen one, up to the greatest, in order. */
  history: VersionAppearance[];
}

export interface MonitoredVersion {
  version: number;
  value: Uint8Array;
  /** Index of the epoch it was published in, and that epoch's timestamp (ms). */
  epoch: number;
  timestamp: number;
}

function verifyEpoch(epoch: EpochProof, checkpoint: TrustedCheckpoint): void {
  check(Number.isSafeInteger(epoch.index) && epoch.index >= 0 && epoch.index < checkpoint.size, "inclusion_invalid", "epoch is not in the checkpoint");
  verifyInclusion(epoch.index, checkpoint.size, logEntryLeafHash(epoch.entry), epoch.inclusion, checkpoint.rootHash);
}

/**
 * Verifies a monitoring answer for versions after `lastSeen` (null: from version 0). Returns the
 * search result and each version with its value and epoch; throws a TransparencyError otherwise.
 */
export function verifyMonitor(
  policy: TransparencyPolicy,
  trusted: TrustedCheckpoint | null,
  answer: MonitorAnswer,
  lastSeen: number | null,
  nowMs: number = Date.now(),
): VerifiedSearch & { history: MonitoredVersion[] } {
  const result = verifySearch(policy, trusted, answer, nowMs);
  const first = lastSeen === null ? 0 : lastSeen + 1;
  check(lastSeen === null || lastSeen <= answer.version, "rollback", "the label has fewer versions than the owner already saw");
  check(answer.history.length === answer.version - first + 1, "ladder_invalid", "the history must hold every version since the last check");
  let previousEpoch = -1;
  const history = answer.history.map((item, i): MonitoredVersion => {
    check(item.version === first + i, "ladder_invalid", "history versions out of order");
    const searchKey = verifySearchKey(policy.vrfPublicKey, answer.label, item.version, item.vrfProof);
    const commitment = commit(item.opening, answer.label, item.version, item.value);
    verifyEpoch(item.epoch, result.trusted);
    check(item.epoch.index >= previousEpoch, "ladder_invalid", "a version appeared before the one preceding it");
    previousEpoch = item.epoch.index;
    check(verifyPrefixProof(item.epoch.entry.prefixRoot, [{ searchKey, commitment }], item.present)[0] === true, "prefix_proof_invalid", "version is not in its epoch");
    if (item.epoch.index === 0) {
      check(item.before === undefined, "malformed", "the first epoch has no epoch before it");
    } else {
      check(item.before !== undefined && item.before.epoch.index === item.epoch.index - 1, "ladder_invalid", "the epoch before the version's is needed");
      verifyEpoch(item.before.epoch, result.trusted);
      check(verifyPrefixProof(item.before.epoch.entry.prefixRoot, [{ searchKey }], item.before.absent)[0] === false, "ladder_invalid", "version was already in the epoch before");
    }
    return { version: item.version, value: item.value, epoch: item.epoch.index, timestamp: item.epoch.entry.timestamp };
  });
  if (history.length > 0) check(bytesEqual(history[history.length - 1]!.value, answer.value), "ladder_invalid", "the newest version's value differs from the search's");
  return { ...result, history };
}

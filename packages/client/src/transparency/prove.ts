/**
 * The log's side of a greatest-version search, pure over a prefix-tree store: the ladder of VRF
 * proofs and the one PrefixProof that verifyGreatestVersion checks. The server answers searches
 * with it; tests build honest (and then tampered) answers with it.
 */
import { check } from "./errors";
import { baseBinaryLadder, type BinaryLadderStep } from "./ladder";
import type { LogEntry } from "./log-entry";
import { inclusionProof, type HashSource } from "./merkle";
import type { EpochProof, VersionAppearance } from "./monitor";
import { prefixProof, type PrefixProof, type PrefixTreeStore } from "./prefix-tree";
import { proveSearchKey } from "./vrf";

export interface GreatestVersionProof {
  ladder: BinaryLadderStep[];
  prefixProof: PrefixProof;
}

/**
 * Proves that `version` is the greatest version of `label` in the tree as of `treeVersion`.
 * `commitmentOf(v)` returns the stored commitment of each earlier version on the ladder.
 */
export async function proveGreatestVersion(
  store: PrefixTreeStore,
  treeVersion: number,
  vrfSecretKey: Uint8Array,
  label: Uint8Array | string,
  version: number,
  commitmentOf: (version: number) => Uint8Array | Promise<Uint8Array>,
): Promise<GreatestVersionProof> {
  const versions = baseBinaryLadder(version);
  const keys: Uint8Array[] = [];
  const ladder: BinaryLadderStep[] = [];
  for (const v of versions) {
    const { proof, searchKey } = proveSearchKey(vrfSecretKey, label, v);
    keys.push(searchKey);
    ladder.push(v < version ? { proof, commitment: await commitmentOf(v) } : { proof });
  }
  const proof = await prefixProof(store, treeVersion, keys);
  versions.forEach((v, i) => {
    check((proof.results[i]!.type === "inclusion") === v <= version, "malformed", `version ${version} is not the greatest in tree version ${treeVersion}`);
  });
  return { ladder, prefixProof: proof };
}

/** Where the log keeps its epochs: entries by index, the log tree's hashes, each epoch's tree version. */
export interface EpochLog {
  size: number;
  entry: (index: number) => LogEntry | Promise<LogEntry>;
  hashes: HashSource;
  treeVersion: (index: number) => number;
}

async function epochProof(log: EpochLog, index: number): Promise<EpochProof> {
  return { index, entry: await log.entry(index), inclusion: inclusionProof(index, log.size, log.hashes) };
}

/**
 * Proves when `version` of `label` appeared: present in epoch `index`'s prefix tree, absent from
 * the one before (the monitor's history item).
 */
export async function proveVersionAppearance(
  store: PrefixTreeStore,
  log: EpochLog,
  vrfSecretKey: Uint8Array,
  label: Uint8Array | string,
  version: { version: number; value: Uint8Array; opening: Uint8Array; epoch: number },
): Promise<VersionAppearance> {
  const { proof: vrfProof, searchKey } = proveSearchKey(vrfSecretKey, label, version.version);
  const present = await prefixProof(store, log.treeVersion(version.epoch), [searchKey]);
  check(present.results[0]!.type === "inclusion", "malformed", `version ${version.version} is not in epoch ${version.epoch}`);
  const item: VersionAppearance = { ...version, vrfProof, epoch: await epochProof(log, version.epoch), present };
  if (version.epoch === 0) return item;
  const absent = await prefixProof(store, log.treeVersion(version.epoch - 1), [searchKey]);
  check(absent.results[0]!.type !== "inclusion", "malformed", `version ${version.version} was already in epoch ${version.epoch - 1}`);
  return { ...item, before: { epoch: await epochProof(log, version.epoch - 1), absent } };
}

/**
 * The log's side of a greatest-version search, pure over a prefix-tree store: the ladder of VRF
 * proofs and the one PrefixProof that verifyGreatestVersion checks. The server answers searches
 * with it; tests build honest (and then tampered) answers with it.
 */
import { baseBinaryLadder, type BinaryLadderStep } from "./ladder.js";
import { check } from "./errors.js";
import { prefixProof, type PrefixProof, type PrefixTreeStore } from "./prefix-tree.js";
import { proveSearchKey } from "./vrf.js";

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

/**
 * The draft's binary ladders (draft-ietf-keytrans-protocol, "Binary Ladder", Appendix "Binary
 * Ladder"): which versions of a label are looked up to pin its greatest version, and the check
 * that a PrefixProof over those lookups proves exactly the claimed greatest version.
 */
import { check } from "./errors";
import { verifyPrefixProof, type PrefixProof, type PrefixSearch } from "./prefix-tree";
import { verifySearchKey } from "./vrf";

const MAX_VERSION = 2 ** 32 - 1;

function checkVersion(version: number): void {
  check(Number.isInteger(version) && version >= 0 && version <= MAX_VERSION, "ladder_invalid", "version must be a uint32");
}

/** Versions looked up to establish that n is the greatest: 0, 1, 3, 7, … past n, then a binary search. */
export function baseBinaryLadder(n: number): number[] {
  checkVersion(n);
  const out: number[] = [];
  for (;;) {
    const value = 2 ** out.length - 1;
    out.push(value);
    if (value > n) break;
  }
  let lower = out[out.length - 2]!;
  let upper = out[out.length - 1]!;
  while (lower + 1 < upper) {
    const value = Math.floor((lower + upper) / 2);
    out.push(value);
    if (value <= n && value <= MAX_VERSION) lower = value;
    else upper = value;
  }
  return out.filter((v) => v <= MAX_VERSION);
}

/**
 * The search ladder for target t in a prefix tree whose greatest version is n: the base ladder up
 * to the first lookup that settles greater/less, without versions already proved elsewhere.
 */
export function searchBinaryLadder(t: number, n: number, leftInclusion: readonly number[] = [], rightNonInclusion: readonly number[] = []): number[] {
  checkVersion(t);
  const out = baseBinaryLadder(n);
  const ends = (v: number) => (v <= n && v > t) || (v > n && v <= t);
  const endIndex = out.findIndex(ends);
  return out.slice(0, endIndex === -1 ? out.length : endIndex + 1).filter((v) => !leftInclusion.includes(v) && !rightNonInclusion.includes(v));
}

/** The versions an owner looks up to monitor version t of their label. */
export function monitoringBinaryLadder(t: number): number[] {
  return baseBinaryLadder(t).filter((v) => v <= t);
}

/** The draft's BinaryLadderStep: a version's VRF proof, and its commitment if it exists. */
export interface BinaryLadderStep {
  proof: Uint8Array;
  commitment?: Uint8Array;
}

export interface GreatestVersionClaim {
  vrfPublicKey: Uint8Array;
  label: Uint8Array | string;
  /** The version the log says is the label's greatest. */
  version: number;
  /** Commitment to the served value, computed by the caller from opening and value. */
  commitment: Uint8Array;
  /** One step per version of baseBinaryLadder(version), in that order. */
  ladder: readonly BinaryLadderStep[];
  prefixProof: PrefixProof;
  prefixRoot: Uint8Array;
}

/**
 * Checks, in one prefix tree, that `version` is the label's greatest: every ladder version up to
 * it is included (the target with the served value's commitment), every one above is not, and
 * every search key is the VRF's output for that (label, version). Returns the search keys.
 */
export function verifyGreatestVersion(claim: GreatestVersionClaim): Uint8Array[] {
  const versions = baseBinaryLadder(claim.version);
  check(claim.ladder.length === versions.length, "ladder_invalid", `the ladder for version ${claim.version} has ${versions.length} steps`);
  const searches: PrefixSearch[] = versions.map((version, i) => {
    const step = claim.ladder[i]!;
    const searchKey = verifySearchKey(claim.vrfPublicKey, claim.label, version, step.proof);
    if (version === claim.version) {
      check(step.commitment === undefined, "ladder_invalid", "the target version's commitment comes from its opening, not the ladder");
      return { searchKey, commitment: claim.commitment };
    }
    if (version < claim.version) {
      check(step.commitment !== undefined, "ladder_invalid", `version ${version} needs its commitment`);
      return { searchKey, commitment: step.commitment };
    }
    check(step.commitment === undefined, "ladder_invalid", `version ${version} does not exist and has no commitment`);
    return { searchKey };
  });
  const included = verifyPrefixProof(claim.prefixRoot, searches, claim.prefixProof);
  versions.forEach((version, i) => {
    check(included[i] === version <= claim.version, "ladder_invalid", `version ${version} is ${included[i] ? "present" : "missing"}, so ${claim.version} is not the greatest`);
  });
  return searches.map((s) => s.searchKey);
}

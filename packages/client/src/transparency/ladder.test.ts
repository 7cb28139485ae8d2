import { sha256 } from "@noble/hashes/sha2.js";
import { describe, expect, it } from "vitest";
import { utf8ToBytes } from "./bytes";
import { commit } from "./commitment";
import { TransparencyError } from "./errors";
import { baseBinaryLadder, monitoringBinaryLadder, searchBinaryLadder, verifyGreatestVersion, type GreatestVersionClaim } from "./ladder";
import { insertLeaves, MemoryPrefixStore, prefixProof, prefixRoot } from "./prefix-tree";
import { proveGreatestVersion } from "./prove";
import { proveSearchKey, vrfKeygen } from "./vrf";
import { errorCode as code } from "./error-code.test-support";

describe("binary ladder versions (draft Appendix, Binary Ladder)", () => {
  it("looks up 0, 1, 3, 7 then 5, 6 to pin greatest version 6, as the draft's example says", () => {
    expect(baseBinaryLadder(6)).toEqual([0, 1, 3, 7, 5, 6]);
    expect(baseBinaryLadder(0)).toEqual([0, 1]);
    expect(baseBinaryLadder(1)).toEqual([0, 1, 3, 2]);
    expect(baseBinaryLadder(7)).toEqual([0, 1, 3, 7, 15, 11, 9, 8]);
  });

  it("contains the greatest version and stops at 2^32 − 1", () => {
    for (const n of [0, 1, 2, 5, 100, 1000, 65535, 2 ** 31, 2 ** 32 - 2]) expect(baseBinaryLadder(n)).toContain(n);
    const top = baseBinaryLadder(2 ** 32 - 1);
    expect(Math.max(...top)).toBe(2 ** 32 - 1);
    expect(top).toHaveLength(33);
    expect(() => baseBinaryLadder(2 ** 32)).toThrow(TransparencyError);
  });

  it("ends search ladders at the first lookup that settles the comparison and skips known versions", () => {
    // Greatest 6, target 2: inclusion of 3 (> 2) ends it.
    expect(searchBinaryLadder(2, 6)).toEqual([0, 1, 3]);
    // Greatest 1, target 5: non-inclusion of 3 (≤ 5) ends it.
    expect(searchBinaryLadder(5, 1)).toEqual([0, 1, 3]);
    // Target equal to the greatest: the whole ladder.
    expect(searchBinaryLadder(6, 6)).toEqual([0, 1, 3, 7, 5, 6]);
    expect(searchBinaryLadder(6, 6, [0, 1], [7])).toEqual([3, 5, 6]);
    expect(monitoringBinaryLadder(6)).toEqual([0, 1, 3, 5, 6]);
  });
});

describe("greatest-version proofs", () => {
  const { secretKey, publicKey } = vrfKeygen();
  const label = utf8ToBytes("keys:0f8e2a3c-7a51-4f7e-9a0e-6d2b7c1e4f50");
  const values = [utf8ToBytes("v0"), utf8ToBytes("v1"), utf8ToBytes("v2")];
  const opening = new Uint8Array(16).fill(9);
  const commitments = values.map((value, version) => commit(opening, label, version, value));

  async function treeWith(versions: number): Promise<MemoryPrefixStore> {
    const store = new MemoryPrefixStore();
    const noise = Array.from({ length: 200 }, (_, i) => ({ searchKey: sha256(utf8ToBytes(`noise ${i}`)), commitment: sha256(utf8ToBytes(`c ${i}`)) }));
    const own = Array.from({ length: versions }, (_, v) => ({ searchKey: proveSearchKey(secretKey, label, v).searchKey, commitment: commitments[v]! }));
    const { writes } = await insertLeaves(store, 1, [...noise, ...own]);
    store.putNodes(writes, 1);
    return store;
  }

  async function claim(store: MemoryPrefixStore, version: number): Promise<GreatestVersionClaim> {
    const proof = await proveGreatestVersion(store, 1, secretKey, label, version, (v) => commitments[v]!);
    return { vrfPublicKey: publicKey, label, version, commitment: commitments[version]!, ...proof, prefixRoot: await prefixRoot(store, 1) };
  }


  it("verifies the honest greatest version", async () => {
    for (const versions of [1, 2, 3]) {
      const store = await treeWith(versions);
      const keys = verifyGreatestVersion(await claim(store, versions - 1));
      expect(keys).toHaveLength(baseBinaryLadder(versions - 1).length);
    }
  });

  it("refuses a hidden newer version, an invented one, and a tampered ladder", async () => {
    const store = await treeWith(3);
    const honest = await claim(store, 2);
    // The log cannot build a proof that version 1 is the greatest while 2 exists.
    await expect(proveGreatestVersion(store, 1, secretKey, label, 1, (v) => commitments[v]!)).rejects.toThrow(TransparencyError);
    // Nor pass off the ladder for 2 as one for 1 (the ladders differ).
    expect(code(() => verifyGreatestVersion({ ...honest, version: 1, commitment: commitments[1]! }))).toBe("ladder_invalid");
    // A prefix proof for the right keys but claiming version 1: version 2's inclusion shows up.
    const ladder1 = baseBinaryLadder(1).map((v) => ({ v, ...proveSearchKey(secretKey, label, v) }));
    const lie = {
      ...honest,
      version: 1,
      commitment: commitments[1]!,
      ladder: ladder1.map(({ v, proof }) => (v < 1 ? { proof, commitment: commitments[v]! } : { proof })),
      prefixProof: await prefixProof(store, 1, ladder1.map((s) => s.searchKey)),
    };
    expect(code(() => verifyGreatestVersion(lie))).toBe("prefix_proof_invalid");
    // Claiming version 3, which does not exist.
    expect(code(() => verifyGreatestVersion({ ...honest, version: 3, commitment: commitments[2]! }))).toBe("ladder_invalid");
    // Ladder steps: missing, extra, swapped VRF proofs, a commitment where none belongs.
    expect(code(() => verifyGreatestVersion({ ...honest, ladder: honest.ladder.slice(1) }))).toBe("ladder_invalid");
    expect(code(() => verifyGreatestVersion({ ...honest, ladder: [...honest.ladder, honest.ladder[0]!] }))).toBe("ladder_invalid");
    const swapped = [...honest.ladder];
    [swapped[0], swapped[1]] = [swapped[1]!, swapped[0]!];
    expect(code(() => verifyGreatestVersion({ ...honest, ladder: swapped }))).toBe("vrf_invalid");
    const withExtra = honest.ladder.map((step, i) => (baseBinaryLadder(2)[i] === 2 ? { ...step, commitment: commitments[2]! } : step));
    expect(code(() => verifyGreatestVersion({ ...honest, ladder: withExtra }))).toBe("ladder_invalid");
    // The served value must be the committed one.
    expect(code(() => verifyGreatestVersion({ ...honest, commitment: commit(opening, label, 2, utf8ToBytes("forged")) }))).toBe("prefix_proof_invalid");
    // Another VRF key (the log swapped keys) fails the VRF checks.
    expect(code(() => verifyGreatestVersion({ ...honest, vrfPublicKey: vrfKeygen().publicKey }))).toBe("vrf_invalid");
  });
});

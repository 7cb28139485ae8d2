import { sha256 } from "@noble/hashes/sha2.js";
import { describe, expect, it } from "vitest";
import { bytesToHex, concatBytes, hexToBytes, utf8ToBytes } from "./bytes";
import { TransparencyError } from "./errors";
import {
  consistencyProof,
  consistencyProofNodes,
  EMPTY_ROOT,
  inclusionProof,
  inclusionProofNodes,
  leafArrayReader,
  leafHash,
  treeHash,
  verifyConsistency,
  verifyInclusion,
  type HashReader,
} from "./merkle";

const MAX_SIZE = 300;

// The RFC 6962 reference tree of certificate-transparency (and transparency-dev/merkle): its
// eight leaf inputs and the root of every prefix of them.
const REFERENCE_LEAVES = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"];
const REFERENCE_ROOTS = [
  "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
  "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
  "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
  "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
  "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
  "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
  "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
  "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
  "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
];

/** RFC 6962 §2.1 MTH, written the naive recursive way as an independent reference. */
function naiveRoot(leaves: Uint8Array[]): Uint8Array {
  if (leaves.length === 0) return sha256(new Uint8Array());
  if (leaves.length === 1) return leaves[0]!;
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return sha256(concatBytes(Uint8Array.of(1), naiveRoot(leaves.slice(0, k)), naiveRoot(leaves.slice(k))));
}

/** A small deterministic generator, so a failing case can be replayed. */
function prng(seed: number): (n: number) => number {
  let state = seed >>> 0;
  return (n) => {
    state = (Math.imul(state ^ (state >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    state = (state ^ (state >>> 12)) >>> 0;
    return state % n;
  };
}

function flipBit(bytes: Uint8Array, bit: number): Uint8Array {
  const out = bytes.slice();
  out[bit >> 3]! ^= 1 << (bit & 7);
  return out;
}

function fails(run: () => void, code: string): boolean {
  try {
    run();
    return false;
  } catch (error) {
    if (!(error instanceof TransparencyError) || error.code !== code) throw error;
    return true;
  }
}

function bitLength(n: number): number {
  return n === 0 ? 0 : Math.floor(Math.log2(n)) + 1;
}

function popcount(n: number): number {
  let count = 0;
  for (; n > 0; n = Math.floor(n / 2)) count += n % 2;
  return count;
}

/**
 * What an RFC 9162 verifier computes from (index, size): how many proof hashes go on which side.
 * A root does not commit to the tree size (the signed checkpoint does), so a changed size with the
 * same shape recomputes the same root and is accepted; the tests below pin that this is the only
 * way a changed index or size can pass.
 */
function inclusionShape(index: number, size: number): string | null {
  if (index >= size) return null;
  const inner = bitLength(index ^ (size - 1));
  return `${inner}/${popcount(Math.floor(index / 2 ** inner))}/${index % 2 ** inner}`;
}

function consistencyShape(oldSize: number, newSize: number): string | null {
  if (oldSize === 0 || oldSize >= newSize) return null;
  let shift = 0;
  while ((oldSize / 2 ** shift) % 2 === 0) shift++;
  const inner = bitLength((oldSize - 1) ^ (newSize - 1));
  const border = popcount(Math.floor((oldSize - 1) / 2 ** inner));
  const mask = Math.floor((oldSize - 1) / 2 ** shift) % 2 ** (inner - shift);
  return `${oldSize === 2 ** shift}/${inner - shift}/${border}/${mask}`;
}

const leaves = Array.from({ length: MAX_SIZE }, (_, i) => leafHash(utf8ToBytes(`leaf ${i}`)));
const reader = leafArrayReader(leaves);
const roots = Array.from({ length: MAX_SIZE + 1 }, (_, n) => naiveRoot(leaves.slice(0, n)));

describe("RFC 6962 tree hashing", () => {
  it("matches the reference roots of the certificate-transparency test tree", () => {
    const reference = REFERENCE_LEAVES.map((hex) => leafHash(hexToBytes(hex)));
    REFERENCE_ROOTS.forEach((root, size) => {
      expect(bytesToHex(treeHash(reference, size))).toBe(root);
    });
    expect(bytesToHex(EMPTY_ROOT)).toBe(REFERENCE_ROOTS[0]);
  });

  it("agrees with a naive MTH for every size up to 300, from an array and from a reader", () => {
    const reader: HashReader = (level, index) => naiveRoot(leaves.slice(index * 2 ** level, (index + 1) * 2 ** level));
    for (let n = 0; n <= MAX_SIZE; n++) {
      expect(treeHash(leaves, n)).toEqual(roots[n]);
      if (n % 37 === 0) expect(treeHash(reader, n)).toEqual(roots[n]);
    }
  });
});

describe("inclusion proofs", () => {
  // Every proof is verified. Up to 64 leaves every proof is then changed in one bit (up to 32, in
  // every kind of change and every bit of index and size); above, every other proof is, the kind
  // (a proof hash, the root, the leaf, the index, the size) taking turns, so each kind still meets
  // thousands of proofs of every shape. All flips of all proofs would take minutes: the single long
  // proofs below get those. The longer timeout is for a machine shared with other work.
  it("verify for every leaf of every tree of size 1–300; one-bit changes of proof, root, leaf, index or size fail", () => {
    const random = prng(6962);
    let proofs = 0;
    for (let n = 1; n <= MAX_SIZE; n++) {
      const root = roots[n]!;
      for (let i = 0; i < n; i++) {
        const leaf = leaves[i]!;
        const proof = inclusionProof(i, n, reader);
        verifyInclusion(i, n, leaf, proof, root);
        proofs++;
        const rejects = (index: number, size: number, hash: Uint8Array, path: Uint8Array[], head: Uint8Array) =>
          fails(() => verifyInclusion(index, size, hash, path, head), "inclusion_invalid");
        const kinds = n <= 32 ? [0, 1, 2, 3, 4] : n <= 64 || proofs % 2 === 0 ? [(proofs >> 1) % 5] : [];
        for (const kind of kinds) {
          if (kind === 0 && proof.length > 0) {
            const k = random(proof.length);
            expect(rejects(i, n, leaf, proof.map((h, j) => (j === k ? flipBit(h, random(256)) : h)), root)).toBe(true);
          } else if (kind <= 1) {
            expect(rejects(i, n, leaf, proof, flipBit(root, random(256)))).toBe(true);
          } else if (kind === 2) {
            expect(rejects(i, n, flipBit(leaf, random(256)), proof, root)).toBe(true);
          } else {
            for (const bit of n <= 32 ? [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] : [random(10)]) {
              if (kind === 3) expect(rejects(i ^ (1 << bit), n, leaf, proof, root)).toBe(true);
              const size = n ^ (1 << bit);
              if (kind === 4) expect(rejects(i, size, leaf, proof, root)).toBe(inclusionShape(i, size) !== inclusionShape(i, n));
            }
          }
        }
      }
    }
    expect(proofs).toBe((MAX_SIZE * (MAX_SIZE + 1)) / 2);
  }, 120_000);

  it("fails on every bit of every hash of one long proof", () => {
    const n = 300;
    const i = 137;
    const proof = inclusionProof(i, n, leaves);
    for (let k = 0; k < proof.length; k++) {
      for (let bit = 0; bit < 256; bit++) {
        const mutated = proof.map((h, j) => (j === k ? flipBit(h, bit) : h));
        expect(fails(() => verifyInclusion(i, n, leaves[i]!, mutated, roots[n]!), "inclusion_invalid")).toBe(true);
      }
    }
  });

  it("reads only the perfect subtrees inclusionProofNodes names", () => {
    for (const [i, n] of [[0, 1], [5, 6], [137, 300], [299, 300], [255, 257]] as const) {
      const asked = new Set<string>();
      const reader: HashReader = (level, index) => {
        asked.add(`${level}/${index}`);
        return naiveRoot(leaves.slice(index * 2 ** level, (index + 1) * 2 ** level));
      };
      expect(inclusionProof(i, n, reader)).toEqual(inclusionProof(i, n, leaves));
      expect(new Set(inclusionProofNodes(i, n).map((node) => `${node.level}/${node.index}`))).toEqual(asked);
    }
  });

  it("refuses indexes outside the tree and hashes of the wrong length", () => {
    expect(() => inclusionProof(3, 3, leaves)).toThrow(TransparencyError);
    expect(fails(() => verifyInclusion(3, 3, leaves[0]!, [], roots[3]!), "inclusion_invalid")).toBe(true);
    expect(fails(() => verifyInclusion(-1, 3, leaves[0]!, [], roots[3]!), "inclusion_invalid")).toBe(true);
    expect(fails(() => verifyInclusion(0, 1, leaves[0]!, [], roots[1]!.subarray(1)), "inclusion_invalid")).toBe(true);
    const proof = inclusionProof(2, 5, leaves);
    expect(fails(() => verifyInclusion(2, 5, leaves[2]!, [proof[0]!.subarray(0, 31), ...proof.slice(1)], roots[5]!), "inclusion_invalid")).toBe(true);
  });
});

describe("consistency proofs", () => {
  // As for inclusion: every proof verified, one-bit changes sampled as described there.
  it("verify for every pair of sizes up to 300; one-bit changes of proof, roots or sizes fail", () => {
    const random = prng(9162);
    let proofs = 0;
    for (let n = 1; n <= MAX_SIZE; n++) {
      for (let m = 0; m <= n; m++) {
        const [oldRoot, newRoot] = [roots[m]!, roots[n]!];
        const proof = consistencyProof(m, n, reader);
        verifyConsistency(m, n, oldRoot, newRoot, proof);
        proofs++;
        const rejects = (oldSize: number, newSize: number, a: Uint8Array, b: Uint8Array, path: Uint8Array[]) =>
          fails(() => verifyConsistency(oldSize, newSize, a, b, path), "consistency_invalid");
        const kinds = n <= 32 ? [0, 1, 2, 3, 4] : n <= 64 || proofs % 2 === 0 ? [(proofs >> 1) % 5] : [];
        for (const kind of kinds) {
          if (kind === 0 && proof.length > 0) {
            const k = random(proof.length);
            expect(rejects(m, n, oldRoot, newRoot, proof.map((h, j) => (j === k ? flipBit(h, random(256)) : h)))).toBe(true);
          } else if (kind <= 1) {
            expect(rejects(m, n, flipBit(oldRoot, random(256)), newRoot, proof)).toBe(true);
          } else if (kind === 2) {
            // From the empty tree any new root is consistent; the checkpoint's signature vouches for it.
            expect(rejects(m, n, oldRoot, flipBit(newRoot, random(256)), proof)).toBe(m > 0);
          } else {
            for (const bit of n <= 32 ? [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] : [random(10)]) {
              const [oldSize, newSize] = [m ^ (1 << bit), n ^ (1 << bit)];
              const [oldShape, newShape, shape] = [consistencyShape(oldSize, n), consistencyShape(m, newSize), consistencyShape(m, n)];
              if (kind === 3) expect(rejects(oldSize, n, oldRoot, newRoot, proof)).toBe(m === 0 || oldShape === null || oldShape !== shape);
              if (kind === 4) expect(rejects(m, newSize, oldRoot, newRoot, proof)).toBe(m === 0 ? newSize === 0 : newShape === null || newShape !== shape);
            }
          }
        }
      }
    }
    expect(proofs).toBe((MAX_SIZE * (MAX_SIZE + 3)) / 2);
  }, 120_000);

  it("fails on every bit of every hash of one long proof", () => {
    const [m, n] = [137, 300];
    const proof = consistencyProof(m, n, leaves);
    expect(proof.length).toBeGreaterThan(5);
    for (let k = 0; k < proof.length; k++) {
      for (let bit = 0; bit < 256; bit++) {
        const mutated = proof.map((h, j) => (j === k ? flipBit(h, bit) : h));
        expect(fails(() => verifyConsistency(m, n, roots[m]!, roots[n]!, mutated), "consistency_invalid")).toBe(true);
      }
    }
  });

  it("refuses shrinking trees, forks and proofs with extra or missing hashes", () => {
    const proof = consistencyProof(100, 200, leaves);
    expect(fails(() => verifyConsistency(200, 100, roots[200]!, roots[100]!, proof), "consistency_invalid")).toBe(true);
    expect(fails(() => verifyConsistency(100, 200, roots[100]!, roots[200]!, proof.slice(1)), "consistency_invalid")).toBe(true);
    expect(fails(() => verifyConsistency(100, 200, roots[100]!, roots[200]!, [...proof, roots[1]!]), "consistency_invalid")).toBe(true);
    // A fork: the same first 100 leaves, then different ones.
    const forked = [...leaves.slice(0, 150), ...leaves.slice(150, 200).map((leaf) => leafHash(leaf))];
    const forkRoot = treeHash(forked, 200);
    expect(fails(() => verifyConsistency(100, 200, roots[100]!, forkRoot, proof), "consistency_invalid")).toBe(true);
    verifyConsistency(100, 200, roots[100]!, forkRoot, consistencyProof(100, 200, forked));
    expect(fails(() => verifyConsistency(160, 200, roots[160]!, forkRoot, consistencyProof(160, 200, forked)), "consistency_invalid")).toBe(true);
  });

  it("treats the empty and the unchanged tree as tlog-witness does", () => {
    verifyConsistency(0, 0, EMPTY_ROOT, EMPTY_ROOT, []);
    verifyConsistency(0, 5, EMPTY_ROOT, roots[5]!, []);
    expect(fails(() => verifyConsistency(0, 5, roots[1]!, roots[5]!, []), "consistency_invalid")).toBe(true);
    expect(fails(() => verifyConsistency(0, 5, EMPTY_ROOT, roots[5]!, [roots[1]!]), "consistency_invalid")).toBe(true);
    verifyConsistency(7, 7, roots[7]!, roots[7]!, []);
    expect(fails(() => verifyConsistency(7, 7, roots[7]!, roots[6]!, []), "consistency_invalid")).toBe(true);
    expect(fails(() => verifyConsistency(7, 7, roots[7]!, roots[7]!, [roots[7]!]), "consistency_invalid")).toBe(true);
    expect(fails(() => verifyConsistency(1, 2, roots[1]!, roots[2]!, []), "consistency_invalid")).toBe(true);
  });

  it("reads only the perfect subtrees consistencyProofNodes names", () => {
    for (const [m, n] of [[1, 2], [3, 7], [137, 300], [256, 300], [299, 300]] as const) {
      const asked = new Set<string>();
      const reader: HashReader = (level, index) => {
        asked.add(`${level}/${index}`);
        return naiveRoot(leaves.slice(index * 2 ** level, (index + 1) * 2 ** level));
      };
      expect(consistencyProof(m, n, reader)).toEqual(consistencyProof(m, n, leaves));
      expect(new Set(consistencyProofNodes(m, n).map((node) => `${node.level}/${node.index}`))).toEqual(asked);
    }
  });
});

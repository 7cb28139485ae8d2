import { sha256 } from "@noble/hashes/sha2.js";
import { describe, expect, it } from "vitest";
import { bytesToHex, concatBytes, hexToBytes, utf8ToBytes } from "./bytes";
import { TransparencyError } from "./errors";
import {
  EMPTY_PREFIX_ROOT,
  insertLeaves,
  MemoryPrefixStore,
  prefixProof,
  prefixRoot,
  verifyPrefixProof,
  type Prefix,
  type PrefixLeaf,
  type PrefixProof,
  type PrefixTreeStore,
} from "./prefix-tree";
import { errorCode as code } from "./error-code.test-support";

/** Deterministic pseudo-random search keys and commitments. */
function key(label: string): Uint8Array {
  return sha256(utf8ToBytes(`key:${label}`));
}
function leaf(label: string): PrefixLeaf {
  return { searchKey: key(label), commitment: sha256(utf8ToBytes(`commitment:${label}`)) };
}

function getBit(k: Uint8Array, i: number): number {
  return (k[i >> 3]! >> (7 - (i & 7))) & 1;
}

/** The draft's tree hashed from scratch, recursively over the sorted key set. */
function naiveRoot(leaves: PrefixLeaf[], depth = 0): Uint8Array {
  if (leaves.length === 0) return new Uint8Array(32);
  if (leaves.length === 1) return sha256(concatBytes(Uint8Array.of(2), leaves[0]!.searchKey, leaves[0]!.commitment));
  const left = leaves.filter((l) => getBit(l.searchKey, depth) === 0);
  const right = leaves.filter((l) => getBit(l.searchKey, depth) === 1);
  return sha256(concatBytes(Uint8Array.of(3), naiveRoot(left, depth + 1), naiveRoot(right, depth + 1)));
}

function shuffle<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let state = seed;
  for (let i = out.length - 1; i > 0; i--) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** A store that counts its round trips and the prefixes it was asked for. */
class CountingStore implements PrefixTreeStore {
  calls = 0;
  asked = 0;
  constructor(readonly inner: MemoryPrefixStore) {}
  getNodes(prefixes: readonly Prefix[], version: number) {
    this.calls++;
    this.asked += prefixes.length;
    return this.inner.getNodes(prefixes, version);
  }
}

async function buildInEpochs(leaves: PrefixLeaf[], batchSizes: number[]): Promise<{ store: MemoryPrefixStore; roots: Uint8Array[] }> {
  const store = new MemoryPrefixStore();
  const roots = [EMPTY_PREFIX_ROOT];
  let at = 0;
  for (let version = 1; at < leaves.length; version++) {
    const batch = leaves.slice(at, at + batchSizes[(version - 1) % batchSizes.length]!);
    at += batch.length;
    const { root, writes } = await insertLeaves(store, version, batch);
    store.putNodes(writes, version);
    roots.push(root);
  }
  return { store, roots };
}


const LEAVES = Array.from({ length: 3000 }, (_, i) => leaf(String(i)));

describe("prefix tree", () => {
  it("matches a naive full rebuild after every epoch of random inserts, and keeps old versions", async () => {
    const { store, roots } = await buildInEpochs(LEAVES, [1, 7, 300, 64, 1000, 2, 500]);
    let count = 0;
    for (let version = 1; version < roots.length; version++) {
      count = Math.min(LEAVES.length, count + [1, 7, 300, 64, 1000, 2, 500][(version - 1) % 7]!);
      expect(bytesToHex(roots[version]!)).toBe(bytesToHex(naiveRoot(LEAVES.slice(0, count))));
      expect(await prefixRoot(store, version)).toEqual(roots[version]);
    }
    expect(await prefixRoot(store, 0)).toEqual(EMPTY_PREFIX_ROOT);
  });

  it("has the same root whatever the insertion order and batching", async () => {
    const expected = naiveRoot(LEAVES);
    const a = await buildInEpochs(shuffle(LEAVES, 1), [3000]);
    const b = await buildInEpochs(shuffle(LEAVES, 2), [1, 10, 100, 500]);
    const c = await buildInEpochs([...LEAVES].reverse(), [999, 1]);
    for (const { roots } of [a, b, c]) expect(roots.at(-1)).toEqual(expected);
  });

  it("refuses a search key that is already in the tree, or twice in one batch", async () => {
    const { store } = await buildInEpochs(LEAVES.slice(0, 50), [50]);
    await expect(insertLeaves(store, 2, [LEAVES[10]!])).rejects.toThrow(TransparencyError);
    await expect(insertLeaves(store, 2, [LEAVES[60]!, { ...LEAVES[60]!, commitment: new Uint8Array(32) }])).rejects.toThrow(TransparencyError);
    await expect(insertLeaves(store, 2, [{ searchKey: new Uint8Array(31), commitment: new Uint8Array(32) }])).rejects.toThrow(TransparencyError);
  });

  it("rehashes O(k log n) nodes and reads in a few batched rounds when adding k leaves to n", async () => {
    const n = 4000;
    const base = Array.from({ length: n }, (_, i) => leaf(`base ${i}`));
    const { store } = await buildInEpochs(base, [n]);
    const fullTreeNodes = store.size;
    for (const k of [1, 10, 100]) {
      const added = Array.from({ length: k }, (_, i) => leaf(`added ${k} ${i}`));
      const counting = new CountingStore(store);
      const { root, writes } = await insertLeaves(counting, 2, added);
      expect(root).toEqual(naiveRoot([...base, ...added]));
      const depthBound = Math.ceil(Math.log2(n + k)) + 8;
      expect(writes.length).toBeLessThanOrEqual(k * depthBound);
      expect(writes.length).toBeLessThan(fullTreeNodes / 4);
      expect(counting.calls).toBeLessThanOrEqual(4);
      expect(counting.asked).toBeLessThanOrEqual(k * 8 * counting.calls);
    }
  });
});

describe("prefix tree proofs", () => {
  it("proves inclusion of every leaf of a small tree and of random leaves of a large one", async () => {
    const small = LEAVES.slice(0, 40);
    const { store, roots } = await buildInEpochs(small, [40]);
    for (const l of small) {
      const proof = await prefixProof(store, 1, [l.searchKey]);
      expect(proof.results[0]!.type).toBe("inclusion");
      expect(verifyPrefixProof(roots[1]!, [l], proof)).toEqual([true]);
    }
    const big = await buildInEpochs(LEAVES, [3000]);
    for (const l of shuffle(LEAVES, 3).slice(0, 50)) {
      const proof = await prefixProof(big.store, 1, [l.searchKey]);
      expect(verifyPrefixProof(big.roots[1]!, [l], proof)).toEqual([true]);
      expect(proof.elements.length).toBe(proof.results[0]!.depth);
    }
  });

  it("proves both kinds of non-inclusion", async () => {
    // 0b000…, 0b001…, 0b0100…: the root's right child is missing, and the path 011 ends in a leaf.
    const keys = ["00", "20", "40"].map((hex) => hexToBytes(hex.padEnd(64, "0")));
    const leaves = keys.map((searchKey, i) => ({ searchKey, commitment: sha256(Uint8Array.of(i)) }));
    const { store, roots } = await buildInEpochs(leaves, [3]);
    const root = roots[1]!;

    const missingChild = hexToBytes("80".padEnd(64, "0"));
    const parentProof = await prefixProof(store, 1, [missingChild]);
    expect(parentProof.results).toEqual([{ type: "nonInclusionParent", depth: 1 }]);
    expect(verifyPrefixProof(root, [{ searchKey: missingChild }], parentProof)).toEqual([false]);

    const besideLeaf = hexToBytes("60".padEnd(64, "0"));
    const leafProof = await prefixProof(store, 1, [besideLeaf]);
    expect(leafProof.results).toEqual([{ type: "nonInclusionLeaf", leaf: leaves[2], depth: 2 }]);
    expect(verifyPrefixProof(root, [{ searchKey: besideLeaf }], leafProof)).toEqual([false]);

    // The same kinds inside the random 3000-leaf tree, found by searching near existing keys.
    const big = await buildInEpochs(LEAVES, [3000]);
    const kinds = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const probe = key(`absent ${i}`);
      const near = LEAVES[i]!.searchKey.slice();
      near[31]! ^= 1;
      for (const searchKey of [probe, near]) {
        const proof = await prefixProof(big.store, 1, [searchKey]);
        kinds.add(proof.results[0]!.type);
        expect(verifyPrefixProof(big.roots[1]!, [{ searchKey }], proof)).toEqual([false]);
      }
    }
    expect(kinds).toEqual(new Set(["nonInclusionLeaf", "nonInclusionParent"]));
  });

  it("proves a batch of searches (a binary ladder) in one proof, in the order asked, against old versions too", async () => {
    const { store, roots } = await buildInEpochs(LEAVES.slice(0, 1000), [500, 500]);
    const searches = [LEAVES[700]!, { searchKey: key("nope 1") }, LEAVES[3]!, { searchKey: key("nope 2") }, LEAVES[999]!];
    const keys = searches.map((s) => s.searchKey);
    const now = await prefixProof(store, 2, keys);
    expect(verifyPrefixProof(roots[2]!, searches, now)).toEqual([true, false, true, false, true]);
    const before = await prefixProof(store, 1, keys);
    expect(verifyPrefixProof(roots[1]!, searches.map((s, i) => (i === 0 || i === 4 ? { searchKey: s.searchKey } : s)), before)).toEqual([false, false, true, false, false]);
    expect(code(() => verifyPrefixProof(roots[2]!, searches, before))).toBe("prefix_proof_invalid");
  });

  it("proves non-inclusion in the empty tree", async () => {
    const store = new MemoryPrefixStore();
    const proof = await prefixProof(store, 0, [key("x")]);
    expect(proof).toEqual({ results: [{ type: "nonInclusionParent", depth: 0 }], elements: [] });
    expect(verifyPrefixProof(EMPTY_PREFIX_ROOT, [{ searchKey: key("x") }], proof)).toEqual([false]);
  });

  it("refuses tampered proofs, wrong commitments and lies about the result", async () => {
    const { store, roots } = await buildInEpochs(LEAVES.slice(0, 500), [500]);
    const root = roots[1]!;
    const target = LEAVES[42]!;
    const proof = await prefixProof(store, 1, [target.searchKey]);
    const other = LEAVES[43]!;
    const absent = { searchKey: key("absent") };
    const absentProof = await prefixProof(store, 1, [absent.searchKey]);
    const depth = proof.results[0]!.depth;
    const tampered: [string, () => unknown][] = [
      ["wrong root", () => verifyPrefixProof(sha256(root), [target], proof)],
      ["wrong commitment", () => verifyPrefixProof(root, [{ ...target, commitment: other.commitment }], proof)],
      ["missing commitment", () => verifyPrefixProof(root, [{ searchKey: target.searchKey }], proof)],
      ["other key", () => verifyPrefixProof(root, [{ ...other, commitment: target.commitment }], proof)],
      ["depth + 1", () => verifyPrefixProof(root, [target], { ...proof, results: [{ type: "inclusion", depth: depth + 1 }] })],
      ["depth - 1", () => verifyPrefixProof(root, [target], { ...proof, results: [{ type: "inclusion", depth: depth - 1 }] })],
      ["element dropped", () => verifyPrefixProof(root, [target], { ...proof, elements: proof.elements.slice(1) })],
      ["element added", () => verifyPrefixProof(root, [target], { ...proof, elements: [...proof.elements, root] })],
      ["elements swapped", () => verifyPrefixProof(root, [target], { ...proof, elements: [...proof.elements].reverse() })],
      // Hiding an included key: claim the search stopped at a missing child or at its own leaf.
      ["hidden as missing", () => verifyPrefixProof(root, [{ searchKey: target.searchKey }], { ...proof, results: [{ type: "nonInclusionParent", depth }] })],
      ["hidden behind itself", () => verifyPrefixProof(root, [{ searchKey: target.searchKey }], { ...proof, results: [{ type: "nonInclusionLeaf", leaf: target, depth }] })],
      ["off-path leaf", () => verifyPrefixProof(root, [absent], { ...absentProof, results: [{ type: "nonInclusionLeaf", leaf: other, depth: absentProof.results[0]!.depth }] })],
      ["absent claimed present", () => verifyPrefixProof(root, [{ ...absent, commitment: target.commitment }], { ...absentProof, results: [{ type: "inclusion", depth: absentProof.results[0]!.depth }] })],
      ["results count", () => verifyPrefixProof(root, [target, absent], proof)],
      ["duplicate search", () => verifyPrefixProof(root, [target, target], { ...proof, results: [proof.results[0]!, proof.results[0]!] })],
    ];
    for (const [name, run] of tampered) expect([name, code(run)]).toEqual([name, "prefix_proof_invalid"]);
    for (let k = 0; k < proof.elements.length; k++) {
      for (const bitIndex of [0, 77, 255]) {
        const elements = proof.elements.map((e, j) => (j === k ? flip(e, bitIndex) : e));
        expect(code(() => verifyPrefixProof(root, [target], { ...proof, elements } satisfies PrefixProof))).toBe("prefix_proof_invalid");
      }
    }
  });
});

function flip(bytes: Uint8Array, bitIndex: number): Uint8Array {
  const out = bytes.slice();
  out[bitIndex >> 3]! ^= 1 << (bitIndex & 7);
  return out;
}

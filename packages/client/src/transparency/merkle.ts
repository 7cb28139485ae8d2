/**
 * RFC 6962 Merkle trees (the epoch log): tree hashing, inclusion and consistency proofs.
 *
 * Proofs are generated from a hash source that is either the array of leaf hashes or a reader of
 * the hashes of perfect subtrees (level, index), the unit tlog-tiles stores; a server that reads
 * them from PostgreSQL first asks `inclusionProofNodes`/`consistencyProofNodes` which nodes it
 * needs, fetches them in one query and hands a reader over a Map. Verification follows
 * RFC 9162 §2.1.3.2 and §2.1.4.2, which reject proofs of the wrong length.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesEqual, concatBytes } from "./bytes";
import { check, type TransparencyErrorCode } from "./errors";

export const HASH_BYTES = 32;

/** A perfect subtree: the 2^level leaves starting at index · 2^level. */
export interface NodeId {
  level: number;
  index: number;
}

/** Returns the hash of a perfect subtree; level 0 is the leaf hashes. */
export type HashReader = (level: number, index: number) => Uint8Array;

export type HashSource = readonly Uint8Array[] | HashReader;

export function leafHash(entry: Uint8Array): Uint8Array {
  return sha256(concatBytes(Uint8Array.of(0x00), entry));
}

export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  return sha256(concatBytes(Uint8Array.of(0x01), left, right));
}

/** MTH({}) = SHA-256 of the empty string. */
export const EMPTY_ROOT: Uint8Array = sha256(new Uint8Array());

function checkSize(n: number, what: string, code: TransparencyErrorCode): void {
  check(Number.isSafeInteger(n) && n >= 0, code, `${what} must be a non-negative integer`);
}

/** The largest power of two smaller than n (n ≥ 2): RFC 6962's split point k. */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function isPowerOfTwo(n: number): boolean {
  return n > 0 && 2 ** Math.round(Math.log2(n)) === n;
}

/**
 * The perfect subtrees that make up MTH(D[start:end]), left to right. Every range a proof names is
 * a subtree of the left-balanced tree, so `start` is a multiple of each piece's size.
 */
function perfectSubtrees(start: number, end: number): NodeId[] {
  const nodes: NodeId[] = [];
  while (start < end) {
    const n = end - start;
    const size = isPowerOfTwo(n) ? n : split(n);
    nodes.push({ level: Math.log2(size), index: start / size });
    start += size;
  }
  return nodes;
}

/**
 * A reader over an array of leaf hashes that remembers every subtree hash it computed: reuse one
 * for many proofs over the same leaves (each proof alone hashes O(n) nodes the first time).
 */
export function leafArrayReader(leaves: readonly Uint8Array[]): HashReader {
  const cache = new Map<string, Uint8Array>();
  const read: HashReader = (level, index) => {
    if (level === 0) {
      const leaf = leaves[index];
      check(leaf !== undefined, "malformed", `no leaf ${index}`);
      return leaf;
    }
    const key = `${level}/${index}`;
    let hash = cache.get(key);
    if (!hash) {
      hash = nodeHash(read(level - 1, index * 2), read(level - 1, index * 2 + 1));
      cache.set(key, hash);
    }
    return hash;
  };
  return read;
}

function readerOf(source: HashSource): HashReader {
  return typeof source === "function" ? source : leafArrayReader(source);
}

/** MTH(D[start:end]) from perfect subtrees, combined right to left as RFC 6962 nests them. */
function rangeHash(read: HashReader, start: number, end: number): Uint8Array {
  const nodes = perfectSubtrees(start, end).map((node) => read(node.level, node.index));
  let hash = nodes.pop()!;
  while (nodes.length > 0) hash = nodeHash(nodes.pop()!, hash);
  return hash;
}

/** The root hash of the first `size` leaves. */
export function treeHash(source: HashSource, size: number = Array.isArray(source) ? source.length : NaN): Uint8Array {
  checkSize(size, "tree size", "malformed");
  return size === 0 ? EMPTY_ROOT : rangeHash(readerOf(source), 0, size);
}

type Range = [start: number, end: number];

/** RFC 6962 §2.1.1 PATH(m, D[start:end]) as ranges, leaf to root. */
function inclusionRanges(m: number, start: number, end: number): Range[] {
  const n = end - start;
  if (n <= 1) return [];
  const k = split(n);
  return m < k
    ? [...inclusionRanges(m, start, start + k), [start + k, end]]
    : [...inclusionRanges(m - k, start + k, end), [start, start + k]];
}

/** RFC 6962 §2.1.2 SUBPROOF(m, D[start:end], b) as ranges. */
function consistencyRanges(m: number, start: number, end: number, whole: boolean): Range[] {
  const n = end - start;
  if (m === n) return whole ? [] : [[start, end]];
  const k = split(n);
  return m <= k
    ? [...consistencyRanges(m, start, start + k, whole), [start + k, end]]
    : [...consistencyRanges(m - k, start + k, end, false), [start, start + k]];
}

function nodesOf(ranges: Range[]): NodeId[] {
  const seen = new Set<string>();
  const nodes: NodeId[] = [];
  for (const [start, end] of ranges) {
    for (const node of perfectSubtrees(start, end)) {
      const key = `${node.level}/${node.index}`;
      if (!seen.has(key)) nodes.push(node);
      seen.add(key);
    }
  }
  return nodes;
}

function checkInclusionArgs(index: number, size: number): void {
  checkSize(index, "leaf index", "malformed");
  checkSize(size, "tree size", "malformed");
  check(index < size, "malformed", "leaf index is not in the tree");
}

function checkConsistencyArgs(oldSize: number, newSize: number): void {
  checkSize(oldSize, "old size", "malformed");
  checkSize(newSize, "new size", "malformed");
  check(oldSize <= newSize, "malformed", "old size is larger than new size");
}

/** The perfect subtrees an inclusion proof for leaf `index` in a tree of `size` reads. */
export function inclusionProofNodes(index: number, size: number): NodeId[] {
  checkInclusionArgs(index, size);
  return nodesOf(inclusionRanges(index, 0, size));
}

/** The perfect subtrees a consistency proof from `oldSize` to `newSize` reads. */
export function consistencyProofNodes(oldSize: number, newSize: number): NodeId[] {
  checkConsistencyArgs(oldSize, newSize);
  return oldSize === 0 ? [] : nodesOf(consistencyRanges(oldSize, 0, newSize, true));
}

export function inclusionProof(index: number, size: number, source: HashSource): Uint8Array[] {
  checkInclusionArgs(index, size);
  const read = readerOf(source);
  return inclusionRanges(index, 0, size).map(([start, end]) => rangeHash(read, start, end));
}

export function consistencyProof(oldSize: number, newSize: number, source: HashSource): Uint8Array[] {
  checkConsistencyArgs(oldSize, newSize);
  if (oldSize === 0) return [];
  const read = readerOf(source);
  return consistencyRanges(oldSize, 0, newSize, true).map(([start, end]) => rangeHash(read, start, end));
}

function checkHashes(hashes: readonly Uint8Array[], code: TransparencyErrorCode): void {
  for (const hash of hashes) check(hash.length === HASH_BYTES, code, "proof hash must be 32 bytes");
}

/** RFC 9162 §2.1.3.2. Throws `inclusion_invalid` unless leafHash is at index in the tree with root. */
export function verifyInclusion(index: number, size: number, leaf: Uint8Array, proof: readonly Uint8Array[], root: Uint8Array): void {
  const code = "inclusion_invalid";
  checkSize(index, "leaf index", code);
  checkSize(size, "tree size", code);
  check(index < size, code, "leaf index is not in the tree");
  checkHashes([leaf, root, ...proof], code);
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    check(sn !== 0, code, "inclusion proof is too long");
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  check(sn === 0, code, "inclusion proof is too short");
  check(bytesEqual(r, root), code, "inclusion proof does not lead to the root");
}

/**
 * RFC 9162 §2.1.4.2. Throws `consistency_invalid` unless the tree (newSize, newRoot) extends
 * (oldSize, oldRoot). From the empty tree the proof must be empty (tlog-witness's rule).
 */
export function verifyConsistency(
  oldSize: number,
  newSize: number,
  oldRoot: Uint8Array,
  newRoot: Uint8Array,
  proof: readonly Uint8Array[],
): void {
  const code = "consistency_invalid";
  checkSize(oldSize, "old size", code);
  checkSize(newSize, "new size", code);
  check(oldSize <= newSize, code, "old size is larger than new size");
  checkHashes([oldRoot, newRoot, ...proof], code);
  if (oldSize === 0) {
    check(proof.length === 0, code, "a proof from the empty tree must be empty");
    check(bytesEqual(oldRoot, EMPTY_ROOT), code, "the empty tree has another root");
  }
  if (oldSize === newSize) {
    check(proof.length === 0, code, "a proof between equal sizes must be empty");
    check(bytesEqual(oldRoot, newRoot), code, "equal sizes with different roots");
  }
  if (oldSize === 0 || oldSize === newSize) return;
  const path = isPowerOfTwo(oldSize) ? [oldRoot, ...proof] : [...proof];
  check(path.length > 0, code, "consistency proof is empty");
  let fn = oldSize - 1;
  let sn = newSize - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    check(sn !== 0, code, "consistency proof is too long");
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  check(sn === 0, code, "consistency proof is too short");
  check(bytesEqual(fr, oldRoot), code, "consistency proof does not lead to the old root");
  check(bytesEqual(sr, newRoot), code, "consistency proof does not lead to the new root");
}

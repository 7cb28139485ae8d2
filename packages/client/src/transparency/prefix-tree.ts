/**
 * The draft's prefix tree (draft-ietf-keytrans-protocol, "Prefix Tree"): a binary trie over
 * 32-byte search keys (truncated VRF outputs) whose leaves hold a commitment.
 *
 *   leaf   = SHA-256(0x02 || search key || commitment)
 *   parent = SHA-256(0x03 || left || right), a missing child counting as 32 zero bytes
 *
 * The shape is a function of the key set alone (a subtree with no key is absent, one key is a leaf,
 * more are a parent), so the root does not depend on insertion order. The tree is append-only.
 *
 * Nodes live in a store keyed by prefix (depth, leading bits) and versioned: a write at version v
 * (the epoch) never changes what a read as of an earlier version sees, so proofs can be served
 * against any published root. A parent stores both children's hashes, so inserting k keys into n
 * reads and rewrites only the O(k log n) nodes on their paths, reading in a few batched rounds.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesEqual, bytesToHex, concatBytes } from "./bytes";
import { check, TransparencyError } from "./errors";
import { SEARCH_KEY_BYTES } from "./vrf";

const HASH_BYTES = 32;
const MAX_DEPTH = SEARCH_KEY_BYTES * 8;
const ZERO = new Uint8Array(HASH_BYTES);
/** Levels fetched per store round: about three rounds reach the leaves of a 1M-leaf tree. */
const LOOKAHEAD = 8;

/** The first `depth` bits of a search key; `bits` has ceil(depth/8) bytes, unused bits zero. */
export interface Prefix {
  depth: number;
  bits: Uint8Array;
}

export type StoredNode =
  | { kind: "leaf"; searchKey: Uint8Array; commitment: Uint8Array }
  | { kind: "parent"; left: Uint8Array; right: Uint8Array };

export interface PrefixTreeStore {
  /** The node at each prefix as of `version` (its newest write at or before it), or undefined. */
  getNodes(prefixes: readonly Prefix[], version: number): Promise<(StoredNode | undefined)[]> | (StoredNode | undefined)[];
}

export interface NodeWrite {
  prefix: Prefix;
  node: StoredNode;
}

export interface PrefixLeaf {
  searchKey: Uint8Array;
  commitment: Uint8Array;
}

export type PrefixSearchResult =
  | { type: "inclusion"; depth: number }
  | { type: "nonInclusionLeaf"; leaf: PrefixLeaf; depth: number }
  | { type: "nonInclusionParent"; depth: number };

/** The draft's PrefixProof: one result per searched key, then the copath hashes left to right. */
export interface PrefixProof {
  results: PrefixSearchResult[];
  elements: Uint8Array[];
}

function bit(key: Uint8Array, index: number): 0 | 1 {
  return ((key[index >> 3]! >> (7 - (index & 7))) & 1) as 0 | 1;
}

export function prefixOf(key: Uint8Array, depth: number): Prefix {
  const bits = key.slice(0, Math.ceil(depth / 8));
  if (depth % 8 !== 0) bits[bits.length - 1]! &= 0xff << (8 - (depth % 8));
  return { depth, bits };
}

/** A string naming a prefix, for maps and as a storage key. */
export function prefixKey(prefix: Prefix): string {
  return `${prefix.depth}:${bytesToHex(prefix.bits)}`;
}

export function prefixLeafHash(leaf: PrefixLeaf): Uint8Array {
  return sha256(concatBytes(Uint8Array.of(0x02), leaf.searchKey, leaf.commitment));
}

export function prefixParentHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  return sha256(concatBytes(Uint8Array.of(0x03), left, right));
}

export function prefixNodeHash(node: StoredNode | undefined): Uint8Array {
  if (!node) return ZERO;
  return node.kind === "leaf" ? prefixLeafHash(node) : prefixParentHash(node.left, node.right);
}

/** The root of the empty tree: the stand-in value, 32 zero bytes. */
export const EMPTY_PREFIX_ROOT: Uint8Array = ZERO;

function checkKey(key: Uint8Array): void {
  check(key.length === SEARCH_KEY_BYTES, "malformed", "search key must be 32 bytes");
}

function compareKeys(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

/** Sorted, duplicate-free copies, so that every algorithm below visits keys left to right. */
function sortedUnique<T>(items: readonly T[], key: (item: T) => Uint8Array): T[] {
  const sorted = [...items].sort((a, b) => compareKeys(key(a), key(b)));
  for (let i = 1; i < sorted.length; i++) {
    check(!bytesEqual(key(sorted[i - 1]!), key(sorted[i]!)), "malformed", "the same search key appears twice");
  }
  return sorted;
}

function splitAt<T>(items: readonly T[], depth: number, key: (item: T) => Uint8Array): [T[], T[]] {
  const left: T[] = [];
  const right: T[] = [];
  for (const item of items) (bit(key(item), depth) === 0 ? left : right).push(item);
  return [left, right];
}

/**
 * Reads, in batched rounds, every stored node on the paths of `keys` down to where each path ends
 * (a leaf or a missing node), and returns them by prefix.
 */
async function readPaths(store: PrefixTreeStore, version: number, keys: readonly Uint8Array[]): Promise<Map<string, StoredNode | undefined>> {
  const known = new Map<string, StoredNode | undefined>();
  let frontier: { depth: number; keys: Uint8Array[] }[] = keys.length > 0 ? [{ depth: 0, keys: [...keys] }] : [];
  while (frontier.length > 0) {
    const wanted = new Map<string, Prefix>();
    for (const group of frontier) {
      for (const key of group.keys) {
        for (let depth = group.depth; depth < Math.min(group.depth + LOOKAHEAD, MAX_DEPTH); depth++) {
          const prefix = prefixOf(key, depth);
          const name = prefixKey(prefix);
          if (!known.has(name)) wanted.set(name, prefix);
        }
      }
    }
    if (wanted.size > 0) {
      const prefixes = [...wanted.values()];
      const nodes = await store.getNodes(prefixes, version);
      check(nodes.length === prefixes.length, "malformed", "store answered the wrong number of nodes");
      prefixes.forEach((prefix, i) => known.set(prefixKey(prefix), nodes[i]));
    }
    // Walk each group down through what is now known; groups that reach unread depth go on.
    const next: typeof frontier = [];
    const walk = (depth: number, group: Uint8Array[]) => {
      const name = prefixKey(prefixOf(group[0]!, depth));
      if (!known.has(name)) return next.push({ depth, keys: group });
      const node = known.get(name);
      if (node?.kind !== "parent") return;
      check(depth + 1 < MAX_DEPTH, "malformed", "prefix tree deeper than its keys");
      const [left, right] = splitAt(group, depth, (k) => k);
      if (left.length > 0) walk(depth + 1, left);
      if (right.length > 0) walk(depth + 1, right);
    };
    for (const group of frontier) walk(group.depth, group.keys);
    frontier = next;
  }
  return known;
}

/** A node readPaths fetched; a missing one would be a bug that silently reads as "absent". */
function fetched(known: Map<string, StoredNode | undefined>, key: Uint8Array, depth: number): StoredNode | undefined {
  const name = prefixKey(prefixOf(key, depth));
  if (!known.has(name)) throw new Error(`prefix ${name} was not read`);
  return known.get(name);
}

export interface InsertResult {
  root: Uint8Array;
  /** Every node written, each hashed once: write them all at the new version. */
  writes: NodeWrite[];
}

/**
 * Adds leaves to the tree as of `version - 1` and returns the new root and the node writes that
 * make version `version`. Refuses a key already in the tree (the tree is append-only: a label's
 * new version has a new search key).
 */
export async function insertLeaves(store: PrefixTreeStore, version: number, leaves: readonly PrefixLeaf[]): Promise<InsertResult> {
  check(Number.isSafeInteger(version) && version >= 1, "malformed", "version must be a positive integer");
  for (const leaf of leaves) {
    checkKey(leaf.searchKey);
    check(leaf.commitment.length === HASH_BYTES, "malformed", "commitment must be 32 bytes");
  }
  const sorted = sortedUnique(leaves, (leaf) => leaf.searchKey);
  const known = await readPaths(store, version - 1, sorted.map((leaf) => leaf.searchKey));
  const writes: NodeWrite[] = [];
  const write = (prefix: Prefix, node: StoredNode): Uint8Array => {
    writes.push({ prefix, node });
    return prefixNodeHash(node);
  };

  // Builds the subtree at `prefix` holding `existing` plus `added`, writing what changed.
  const build = (depth: number, added: PrefixLeaf[], existing: StoredNode | undefined): Uint8Array => {
    const prefix = prefixOf(added[0]!.searchKey, depth);
    if (existing?.kind === "parent") {
      const [left, right] = splitAt(added, depth, (leaf) => leaf.searchKey);
      const child = (side: PrefixLeaf[], kept: Uint8Array) =>
        side.length > 0 ? build(depth + 1, side, fetched(known, side[0]!.searchKey, depth + 1)) : kept;
      return write(prefix, { kind: "parent", left: child(left, existing.left), right: child(right, existing.right) });
    }
    let all = added;
    if (existing?.kind === "leaf") {
      if (added.some((leaf) => bytesEqual(leaf.searchKey, existing.searchKey))) {
        throw new TransparencyError("malformed", "search key is already in the prefix tree");
      }
      all = sortedUnique([...added, { searchKey: existing.searchKey, commitment: existing.commitment }], (leaf) => leaf.searchKey);
    }
    return buildNew(depth, all, write);
  };

  const root = sorted.length > 0 ? build(0, sorted, fetched(known, sorted[0]!.searchKey, 0)) : await prefixRoot(store, version - 1);
  return { root, writes };
}

/** Writes the canonical subtree of a key set where nothing is stored yet. */
function buildNew(depth: number, leaves: PrefixLeaf[], write: (prefix: Prefix, node: StoredNode) => Uint8Array): Uint8Array {
  const prefix = prefixOf(leaves[0]!.searchKey, depth);
  if (leaves.length === 1) return write(prefix, { kind: "leaf", searchKey: leaves[0]!.searchKey, commitment: leaves[0]!.commitment });
  const [left, right] = splitAt(leaves, depth, (leaf) => leaf.searchKey);
  return write(prefix, {
    kind: "parent",
    left: left.length > 0 ? buildNew(depth + 1, left, write) : ZERO,
    right: right.length > 0 ? buildNew(depth + 1, right, write) : ZERO,
  });
}

/** The root hash of the tree as of `version`. */
export async function prefixRoot(store: PrefixTreeStore, version: number): Promise<Uint8Array> {
  return prefixNodeHash((await store.getNodes([{ depth: 0, bits: new Uint8Array() }], version))[0]);
}

/**
 * The draft's batch search proof for `searchKeys` in the tree as of `version`: for each key, where
 * its search ended (its own leaf, another key's leaf, or a missing child), and the copath.
 */
export async function prefixProof(store: PrefixTreeStore, version: number, searchKeys: readonly Uint8Array[]): Promise<PrefixProof> {
  searchKeys.forEach(checkKey);
  const sorted = sortedUnique(searchKeys, (key) => key);
  const known = await readPaths(store, version, sorted);
  const byKey = new Map<string, PrefixSearchResult>();
  const elements: Uint8Array[] = [];
  const visit = (depth: number, keys: Uint8Array[]) => {
    const node = fetched(known, keys[0]!, depth);
    if (node?.kind === "parent") {
      const [left, right] = splitAt(keys, depth, (k) => k);
      if (left.length > 0) visit(depth + 1, left);
      else elements.push(node.left);
      if (right.length > 0) visit(depth + 1, right);
      else elements.push(node.right);
      return;
    }
    for (const key of keys) {
      const result: PrefixSearchResult = !node
        ? { type: "nonInclusionParent", depth }
        : bytesEqual(node.searchKey, key)
          ? { type: "inclusion", depth }
          : { type: "nonInclusionLeaf", leaf: { searchKey: node.searchKey, commitment: node.commitment }, depth };
      byKey.set(bytesToHex(key), result);
    }
  };
  if (sorted.length > 0) visit(0, sorted);
  return { results: searchKeys.map((key) => byKey.get(bytesToHex(key))!), elements };
}

/** One searched key: its commitment is needed when the proof claims inclusion. */
export interface PrefixSearch {
  searchKey: Uint8Array;
  commitment?: Uint8Array;
}

type Skeleton =
  | { kind: "external"; hash?: Uint8Array }
  | { kind: "parent"; left: Skeleton; right: Skeleton }
  | { kind: "leaf"; leaf: PrefixLeaf }
  | { kind: "empty" };

/**
 * Recomputes the root a PrefixProof claims (draft "Prefix Tree" proofs), checking that the results
 * fit together: depths agree where searches share a terminal node, a non-inclusion leaf lies on
 * the searched path and is not the searched key, and every copath hash is used exactly once.
 */
export function evaluatePrefixProof(searches: readonly PrefixSearch[], proof: PrefixProof): Uint8Array {
  const code = "prefix_proof_invalid";
  check(searches.length === proof.results.length, code, "one result per searched key is needed");
  check(searches.length > 0 && searches.length <= 255, code, "a proof covers 1–255 searches");
  check(new Set(searches.map((s) => bytesToHex(s.searchKey))).size === searches.length, code, "the same search key appears twice");
  let root: Skeleton = { kind: "external" };
  searches.forEach((search, i) => {
    const result = proof.results[i]!;
    check(search.searchKey.length === SEARCH_KEY_BYTES, code, "search key must be 32 bytes");
    check(Number.isInteger(result.depth) && result.depth >= 0 && result.depth < MAX_DEPTH, code, "result depth out of range");
    let terminal: Skeleton;
    if (result.type === "inclusion") {
      check(search.commitment?.length === HASH_BYTES, code, "an inclusion result needs the searched key's commitment");
      terminal = { kind: "leaf", leaf: { searchKey: search.searchKey, commitment: search.commitment } };
    } else if (result.type === "nonInclusionLeaf") {
      const { searchKey, commitment } = result.leaf;
      check(searchKey.length === SEARCH_KEY_BYTES && commitment.length === HASH_BYTES, code, "malformed leaf");
      check(!bytesEqual(searchKey, search.searchKey), code, "a non-inclusion leaf cannot be the searched key");
      check(prefixKey(prefixOf(searchKey, result.depth)) === prefixKey(prefixOf(search.searchKey, result.depth)), code, "leaf is not on the searched path");
      terminal = { kind: "leaf", leaf: result.leaf };
    } else {
      check(result.type === "nonInclusionParent", code, "unknown result type");
      terminal = { kind: "empty" };
    }
    // Walk the skeleton along the key's bits; place or match the terminal node at its depth.
    let depth = 0;
    let slot: { get: () => Skeleton; set: (node: Skeleton) => void } = { get: () => root, set: (node) => (root = node) };
    for (;;) {
      const node = slot.get();
      if (node.kind === "parent") {
        const side = bit(search.searchKey, depth);
        slot = side === 0 ? { get: () => node.left, set: (n) => (node.left = n) } : { get: () => node.right, set: (n) => (node.right = n) };
        depth++;
        continue;
      }
      if (node.kind === "external") {
        check(depth <= result.depth, code, "search ends above where another search went on");
        slot.set(depth === result.depth ? terminal : { kind: "parent", left: { kind: "external" }, right: { kind: "external" } });
        if (depth === result.depth) break;
        continue;
      }
      // Another search already ended here: both must describe the same terminal node.
      check(depth === result.depth, code, "searches disagree on a terminal depth");
      if (node.kind === "empty") check(result.type === "nonInclusionParent", code, "searches disagree on a terminal node");
      else {
        const same = bytesEqual(node.leaf.searchKey, search.searchKey);
        check(result.type === (same ? "inclusion" : "nonInclusionLeaf"), code, "searches disagree on a terminal node");
        if (result.type === "nonInclusionLeaf") check(bytesEqual(prefixLeafHash(node.leaf), prefixLeafHash(result.leaf)), code, "searches disagree on a terminal leaf");
        if (result.type === "inclusion") check(bytesEqual(node.leaf.commitment, search.commitment!), code, "searches disagree on a commitment");
      }
      break;
    }
  });
  let next = 0;
  const hash = (node: Skeleton): Uint8Array => {
    switch (node.kind) {
      case "external": {
        const element = proof.elements[next++];
        check(element !== undefined && element.length === HASH_BYTES, code, "too few copath hashes");
        return element;
      }
      case "parent": {
        const left = hash(node.left);
        return prefixParentHash(left, hash(node.right));
      }
      case "leaf":
        return prefixLeafHash(node.leaf);
      case "empty":
        return ZERO;
    }
  };
  const computed = hash(root);
  check(next === proof.elements.length, code, "too many copath hashes");
  return computed;
}

/**
 * Verifies a PrefixProof against a prefix tree root; returns, per search, whether the key is in
 * the tree. Throws `prefix_proof_invalid` on any mismatch.
 */
export function verifyPrefixProof(root: Uint8Array, searches: readonly PrefixSearch[], proof: PrefixProof): boolean[] {
  check(bytesEqual(evaluatePrefixProof(searches, proof), root), "prefix_proof_invalid", "prefix proof does not lead to the root");
  return proof.results.map((result) => result.type === "inclusion");
}

/** A versioned in-memory store: for tests, the auditor's replay and small deployments. */
export class MemoryPrefixStore implements PrefixTreeStore {
  private readonly nodes = new Map<string, { version: number; node: StoredNode }[]>();

  getNodes(prefixes: readonly Prefix[], version: number): (StoredNode | undefined)[] {
    return prefixes.map((prefix) => {
      const history = this.nodes.get(prefixKey(prefix));
      if (!history) return undefined;
      for (let i = history.length - 1; i >= 0; i--) if (history[i]!.version <= version) return history[i]!.node;
      return undefined;
    });
  }

  /** Applies an insertLeaves result; versions must not go backwards. */
  putNodes(writes: readonly NodeWrite[], version: number): void {
    for (const { prefix, node } of writes) {
      const name = prefixKey(prefix);
      const history = this.nodes.get(name) ?? [];
      check(history.length === 0 || history[history.length - 1]!.version <= version, "malformed", "prefix tree versions go backwards");
      if (history.length > 0 && history[history.length - 1]!.version === version) history[history.length - 1] = { version, node };
      else history.push({ version, node });
      this.nodes.set(name, history);
    }
  }

  get size(): number {
    return this.nodes.size;
  }
}

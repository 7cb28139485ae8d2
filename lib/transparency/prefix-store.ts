/**
 * The prefix tree's nodes in PostgreSQL (kt_prefix_nodes): one row per (prefix, version) written,
 * never updated; a read as of version v takes each prefix's newest row at or before v. One getNodes
 * call can ask for hundreds of prefixes (k keys × 8 levels), so it sends them as arrays in chunks.
 */
import { bytesToHex, concatBytes, hexToBytes, type NodeWrite, type Prefix, type PrefixTreeStore, type StoredNode } from "../../packages/client/src/transparency/index";
import type { Tx } from "../db";

const CHUNK = 1000;
const LEAF = 0x00;
const PARENT = 0x01;

function encodeNode(node: StoredNode): string {
  const bytes = node.kind === "leaf" ? concatBytes(Uint8Array.of(LEAF), node.searchKey, node.commitment) : concatBytes(Uint8Array.of(PARENT), node.left, node.right);
  return bytesToHex(bytes);
}

function decodeNode(hex: string): StoredNode {
  const bytes = hexToBytes(hex);
  if (bytes.length !== 65 || (bytes[0] !== LEAF && bytes[0] !== PARENT)) throw new Error("kt_prefix_nodes holds a malformed node");
  const [a, b] = [bytes.slice(1, 33), bytes.slice(33)];
  return bytes[0] === LEAF ? { kind: "leaf", searchKey: a, commitment: b } : { kind: "parent", left: a, right: b };
}

/** A store reading and writing inside `tx`, so a publish sees its own writes and rolls back whole. */
export function postgresPrefixStore(tx: Tx): PrefixTreeStore & { putNodes(writes: readonly NodeWrite[], version: number): Promise<void> } {
  return {
    async getNodes(prefixes: readonly Prefix[], version: number) {
      const found = new Map<string, StoredNode>();
      for (let at = 0; at < prefixes.length; at += CHUNK) {
        const chunk = prefixes.slice(at, at + CHUNK);
        const rows = await tx.$queryRaw<{ depth: number; prefix: string; node: string }[]>`
          SELECT q.depth, q.prefix, encode(n.node, 'hex') AS node
          FROM unnest(${chunk.map((p) => p.depth)}::int[], ${chunk.map((p) => bytesToHex(p.bits))}::text[]) AS q(depth, prefix)
          JOIN LATERAL (
            SELECT node FROM kt_prefix_nodes
            WHERE depth = q.depth AND prefix = decode(q.prefix, 'hex') AND version <= ${version}
            ORDER BY version DESC LIMIT 1
          ) n ON true`;
        for (const row of rows) found.set(`${row.depth}:${row.prefix}`, decodeNode(row.node));
      }
      return prefixes.map((p) => found.get(`${p.depth}:${bytesToHex(p.bits)}`));
    },
    async putNodes(writes: readonly NodeWrite[], version: number) {
      for (let at = 0; at < writes.length; at += CHUNK) {
        const chunk = writes.slice(at, at + CHUNK);
        await tx.$executeRaw`
          INSERT INTO kt_prefix_nodes (depth, prefix, version, node)
          SELECT depth, decode(prefix, 'hex'), ${version}, decode(node, 'hex')
          FROM unnest(${chunk.map((w) => w.prefix.depth)}::int[], ${chunk.map((w) => bytesToHex(w.prefix.bits))}::text[], ${chunk.map((w) => encodeNode(w.node))}::text[]) AS w(depth, prefix, node)`;
      }
    },
  };
}

/**
 * The epoch log as C2SP tlog-tiles (ADR 0060): hash tiles of the RFC 6962 tree and entry bundles
 * of the log entries (the core's LogEntry encoding). Each tile is read from the leaf rows it
 * covers, never the whole log: a level-L tile reads at most 256^(L+1) leaf hashes, and the log is
 * append-only, so a path names the same bytes forever once it can be served at all.
 */
import { concatBytes, encodeEntryBundle, encodeLogEntry, parseTilePath, TILE_WIDTH, treeHash } from "../../packages/client/src/transparency/index";
import { prisma } from "../db";
import { notFound } from "../errors";

export interface Tile {
  bytes: Uint8Array;
  /** A full tile (256 hashes or entries) never changes and never goes away. */
  full: boolean;
}

async function epochRows(from: number, to: number) {
  return prisma.ktEpoch.findMany({ where: { index: { gte: from, lt: to } }, orderBy: { index: "asc" }, select: { timestamp: true, prefixRoot: true, leafHash: true } });
}

/** The tile or entry bundle at `path` (`tile/0/x001/234.p/7`, `tile/entries/000`), or a 404 AppError. */
export async function readTile(path: string): Promise<Tile> {
  const tile = parseTilePath(path);
  const missing = () => notFound(`No tile ${path} in this log: the path is not a tlog-tiles path, or the log is not that large yet.`);
  if (!tile) throw missing();
  const size = await prisma.ktEpoch.count();
  // A slot of a level-L tile is the root of 256^L leaves.
  const leavesPerSlot = tile.entries ? 1 : TILE_WIDTH ** tile.level;
  const first = tile.index * TILE_WIDTH * leavesPerSlot;
  const end = first + tile.width * leavesPerSlot;
  if (end > size) throw missing();
  const rows = await epochRows(first, end);
  const full = tile.width === TILE_WIDTH;
  if (tile.entries) {
    return { full, bytes: encodeEntryBundle(rows.map((row) => encodeLogEntry({ timestamp: Number(row.timestamp), prefixRoot: new Uint8Array(row.prefixRoot) }))) };
  }
  const leaves = rows.map((row) => new Uint8Array(row.leafHash));
  const slots = Array.from({ length: tile.width }, (_, i) => treeHash(leaves.slice(i * leavesPerSlot, (i + 1) * leavesPerSlot)));
  return { full, bytes: concatBytes(...slots) };
}

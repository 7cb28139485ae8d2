import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import {
  bytesToBase64,
  decodeEntryBundle,
  encodeLogEntry,
  leafHash,
  logEntryLeafHash,
  noteVerifier,
  openNote,
  parseCheckpoint,
  tileHashReader,
  tilePath,
  tilesForSize,
  treeHash,
  type TileId,
} from "../../packages/client/src/transparency/index";
import { resetDatabase } from "../../test/db";
import { startApiServer, type ApiServer } from "../../test/http-server";
import { prisma } from "../db";
import { transparencyKeys } from "./keys";
import { publishEpoch } from "./publish";

let server: ApiServer;
beforeAll(async () => {
  server = await startApiServer();
});
afterAll(() => server.close());
beforeEach(resetDatabase);

async function tile(path: string): Promise<Response> {
  return fetch(`${server.url}/api/kt/${path}`);
}

/** The root hash of a tree of `size` leaves, from nothing but the tiles the server serves. */
async function rootFromTiles(size: number): Promise<Uint8Array> {
  const served = new Map<string, Uint8Array>();
  for (const id of tilesForSize(size)) {
    const response = await tile(tilePath(id));
    expect(response.status, tilePath(id)).toBe(200);
    served.set(tilePath(id), new Uint8Array(await response.arrayBuffer()));
  }
  return treeHash(
    tileHashReader(size, (id: TileId) => {
      const bytes = served.get(tilePath(id));
      if (!bytes) throw new Error(`the reader needed ${tilePath(id)}, which was not fetched`);
      return bytes;
    }),
    size,
  );
}

describe("the log as tlog-tiles", () => {
  it("serves the log's vkey, and tiles from which the signed checkpoint's root hash is rebuilt", async () => {
    for (let i = 0; i < 3; i++) await publishEpoch();
    const keysResponse = await fetch(`${server.url}/api/kt/keys`);
    expect(keysResponse.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    const vkeys = (await keysResponse.text()).split("\n");
    expect(vkeys).toEqual([transparencyKeys().logVkey, ""]);

    const { checkpoint: note } = (await (await fetch(`${server.url}/api/kt/checkpoint`)).json()) as { checkpoint: string };
    const checkpoint = parseCheckpoint(openNote(note, [noteVerifier(vkeys[0]!)]).text);
    expect(checkpoint.size).toBe(3);
    expect(await rootFromTiles(3)).toEqual(checkpoint.rootHash);

    const entries = await tile("tile/entries/000.p/3");
    expect(entries.headers.get("cache-control")).not.toContain("immutable");
    const epochs = await prisma.ktEpoch.findMany({ orderBy: { index: "asc" } });
    expect(decodeEntryBundle(new Uint8Array(await entries.arrayBuffer())).map(leafHash)).toEqual(epochs.map((e) => new Uint8Array(e.leafHash)));
    // A width the log has not reached, and paths tlog-tiles does not spell that way, are JSON 404s.
    for (const path of ["tile/0/000.p/4", "tile/0/0.p/3", "tile/0/000.p/256", "tile/entries/001", "tile/x/000"]) {
      const response = await tile(path);
      expect(response.status, path).toBe(404);
      expect(await response.json()).toMatchObject({ error: { code: "not_found" } });
    }
  });

  it("serves full tiles as immutable and higher levels for a log past 256 epochs", async () => {
    // 600 epochs written as rows (the tiles read nothing else): level 0 has two full tiles and a
    // partial one of 88, level 1 a partial tile of 2.
    const entries = Array.from({ length: 600 }, (_, index) => ({ timestamp: 1_000 + index, prefixRoot: new Uint8Array(randomBytes(32)) }));
    await prisma.ktEpoch.createMany({
      data: entries.map((entry, index) => ({
        index,
        timestamp: BigInt(entry.timestamp),
        prefixRoot: new Uint8Array(entry.prefixRoot),
        leafHash: new Uint8Array(logEntryLeafHash(entry)),
        checkpoint: "unused",
      })),
    });
    const leaves = entries.map(logEntryLeafHash);
    expect(bytesToBase64(await rootFromTiles(600))).toBe(bytesToBase64(treeHash(leaves)));

    const full = await tile("tile/entries/001");
    expect(full.headers.get("cache-control")).toContain("immutable");
    expect(decodeEntryBundle(new Uint8Array(await full.arrayBuffer()))).toEqual(entries.slice(256, 512).map(encodeLogEntry));
    expect((await tile("tile/1/000.p/3")).status).toBe(404);
  });
});

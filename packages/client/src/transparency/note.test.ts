import { describe, expect, it } from "vitest";
import { bytesToBase64, hexToBytes, utf8ToBytes } from "./bytes";
import { consistencyProof, consistencyProofNodes, inclusionProof, inclusionProofNodes, leafArrayReader, leafHash, treeHash } from "./merkle";
import {
  buildTile,
  cosignatureMessage,
  decodeEntryBundle,
  encodeEntryBundle,
  encodeTileIndex,
  entriesPath,
  formatCheckpoint,
  formatVkey,
  generateNoteKey,
  keyId,
  noteSigner,
  noteVerifier,
  openNote,
  parseCheckpoint,
  parseNote,
  parseSkey,
  parseTilePath,
  parseVkey,
  signNote,
  SIGNATURE_TYPE_COSIGNATURE_V1,
  SIGNATURE_TYPE_ED25519,
  tileHashReader,
  tilePath,
  tilesForNodes,
  tilesForSize,
  type TileId,
} from "./note";
import { errorCode as code } from "./error-code.test-support";

// c2sp.org/signed-note, "Verifier keys" example.
const SPEC_VKEY = "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k";
const SPEC_NOTE =
  "This is an example message.\n\n— example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n";


const LOG_SECRET = hexToBytes("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
const WITNESS_SECRET = hexToBytes("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb");
const logSigner = noteSigner("latchkey.example/kt", SIGNATURE_TYPE_ED25519, LOG_SECRET);
const logVerifier = noteVerifier(formatVkey("latchkey.example/kt", SIGNATURE_TYPE_ED25519, hexToBytes("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")));
const witnessSigner = noteSigner("witness.example/w1", SIGNATURE_TYPE_COSIGNATURE_V1, WITNESS_SECRET, () => 1679315147);
const witnessVerifier = noteVerifier(formatVkey("witness.example/w1", SIGNATURE_TYPE_COSIGNATURE_V1, hexToBytes("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c")));

describe("signed notes (c2sp.org/signed-note)", () => {
  it("verifies the spec's example note with the spec's vkey", () => {
    const verifier = noteVerifier(SPEC_VKEY);
    expect(verifier.keyId).toBe(0x530d903a);
    const opened = openNote(SPEC_NOTE, [verifier]);
    expect(opened.text).toBe("This is an example message.\n");
    expect(opened.verified).toEqual([{ name: "example.com/foo", keyId: 0x530d903a, type: SIGNATURE_TYPE_ED25519 }]);
    expect(openNote(utf8ToBytes(SPEC_NOTE), [verifier]).text).toBe(opened.text);
  });

  it("refuses the example once its text, signature or line structure is changed", () => {
    const verifier = noteVerifier(SPEC_VKEY);
    expect(code(() => openNote(SPEC_NOTE.replace("example message", "example massage"), [verifier]))).toBe("signature_invalid");
    expect(code(() => openNote(SPEC_NOTE.replace("Uw2QOkn8", "Uw2QOkn9"), [verifier]))).toBe("signature_invalid");
    expect(code(() => openNote(`Extra line.\n${SPEC_NOTE}`, [verifier]))).toBe("signature_invalid");
    expect(code(() => openNote(SPEC_NOTE.replace("message.\n", "message.\nMore.\n"), [verifier]))).toBe("signature_invalid");
    expect(code(() => openNote(SPEC_NOTE.replace(".\n\n", ".\n"), [verifier]))).toBe("malformed");
    expect(code(() => openNote(SPEC_NOTE.slice(0, -1), [verifier]))).toBe("malformed");
    expect(code(() => openNote(`${SPEC_NOTE}\n`, [verifier]))).toBe("malformed");
    expect(code(() => openNote(SPEC_NOTE.replace("— ", "- "), [verifier]))).toBe("malformed");
    expect(code(() => openNote(SPEC_NOTE.replace("message.", "message.\r"), [verifier]))).toBe("malformed");
    expect(code(() => openNote(SPEC_NOTE.replace("message.", "message.\t"), [verifier]))).toBe("malformed");
    expect(code(() => openNote(SPEC_NOTE.replace("aQM=", "aQN="), [verifier]))).toBe("malformed");
  });

  it("signs and opens texts with empty lines, splitting at the last blank line", () => {
    const text = "first\n\nafter a blank line\n\n";
    const opened = openNote(signNote(text, [logSigner]), [logVerifier]);
    expect(opened.text).toBe(text);
    expect(code(() => signNote("no newline", [logSigner]))).toBe("malformed");
    expect(code(() => signNote("bell\u0007\n", [logSigner]))).toBe("malformed");
  });

  it("ignores signatures by unknown keys but needs one known key", () => {
    const other = generateNoteKey("example.com/foo", SIGNATURE_TYPE_ED25519);
    // Same name, different ID: an unknown key.
    expect(code(() => openNote(SPEC_NOTE, [noteVerifier(other.vkey)]))).toBe("unknown_key");
    const stranger = noteSigner("stranger.example/x", SIGNATURE_TYPE_ED25519, parseSkey(generateNoteKey("stranger.example/x", SIGNATURE_TYPE_ED25519).skey).secretKey);
    const twice = signNote("This is an example message.\n", [stranger], parseNote(SPEC_NOTE).signatures);
    expect(openNote(twice, [noteVerifier(SPEC_VKEY)]).verified.map((v) => v.name)).toEqual(["example.com/foo"]);
  });

  it("rejects the whole note when a known key's signature fails, even if another verifies", () => {
    const text = "hello\n";
    const note = signNote(text, [logSigner]);
    const forged = `${note}— witness.example/w1 ${bytesToBase64(new Uint8Array([...hexToBytes(witnessVerifier.keyId.toString(16).padStart(8, "0")), ...new Uint8Array(72)]))}\n`;
    expect(code(() => openNote(forged, [logVerifier, witnessVerifier]))).toBe("signature_invalid");
    expect(openNote(forged, [logVerifier]).verified).toHaveLength(1);
  });

  it("checks names, IDs and keys in vkeys and private keys", () => {
    const parsed = parseVkey(SPEC_VKEY);
    expect(parsed).toMatchObject({ name: "example.com/foo", keyId: 0x530d903a, type: SIGNATURE_TYPE_ED25519 });
    expect(formatVkey(parsed.name, parsed.type, parsed.publicKey)).toBe(SPEC_VKEY);
    expect(code(() => parseVkey(SPEC_VKEY.replace("530d903a", "530d903b")))).toBe("malformed");
    expect(code(() => parseVkey(SPEC_VKEY.replace("example.com/foo", "example.com/bar")))).toBe("malformed");
    expect(code(() => parseVkey(SPEC_VKEY.replace("+Aek", "+BEk")))).toBe("malformed");
    expect(code(() => parseVkey("example.com/foo+530d903a"))).toBe("malformed");
    expect(code(() => formatVkey("has space", SIGNATURE_TYPE_ED25519, new Uint8Array(32)))).toBe("malformed");
    const { skey, vkey } = generateNoteKey("latchkey.example/log", SIGNATURE_TYPE_ED25519);
    expect(skey.startsWith("PRIVATE+KEY+latchkey.example/log+")).toBe(true);
    const key = parseSkey(skey);
    expect(key.vkey).toBe(vkey);
    const signed = signNote("x\n", [noteSigner(key.name, key.type, key.secretKey)]);
    expect(openNote(signed, [noteVerifier(vkey)]).verified).toHaveLength(1);
    expect(code(() => parseSkey(skey.replace(/\+[0-9a-f]{8}\+/, "+00000000+")))).toBe("malformed");
  });

  it("computes key IDs as SHA-256(name || \\n || type || key)[:4]", () => {
    expect(keyId("example.com/foo", SIGNATURE_TYPE_ED25519, parseVkey(SPEC_VKEY).publicKey)).toBe(0x530d903a);
    expect(keyId("example.com/foo", SIGNATURE_TYPE_COSIGNATURE_V1, parseVkey(SPEC_VKEY).publicKey)).not.toBe(0x530d903a);
  });
});

describe("checkpoints and cosignatures", () => {
  const rootHash = hexToBytes("0ac5186a91863e8e1d90c808014aa89bf5da8e3ee1d9f07630f0378f68f1ab62");

  it("formats and parses the spec's checkpoint body", () => {
    const text = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";
    const checkpoint = parseCheckpoint(text);
    expect(checkpoint).toEqual({ origin: "example.com/behind-the-sofa", size: 20852163, rootHash, extensions: [] });
    expect(formatCheckpoint(checkpoint)).toBe(text);
    expect(parseCheckpoint(`${text}ext one\n`).extensions).toEqual(["ext one"]);
  });

  it("refuses malformed checkpoint bodies", () => {
    const ok = "o\n5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";
    expect(code(() => parseCheckpoint(ok.replace("\n5\n", "\n05\n")))).toBe("checkpoint_invalid");
    expect(code(() => parseCheckpoint(ok.replace("\n5\n", "\n-5\n")))).toBe("checkpoint_invalid");
    expect(code(() => parseCheckpoint(ok.replace("\n5\n", "\n5 \n")))).toBe("checkpoint_invalid");
    expect(code(() => parseCheckpoint(ok.replace("\n5\n", "\n99999999999999999999\n")))).toBe("checkpoint_invalid");
    expect(code(() => parseCheckpoint(ok.replace("q2I=", "q2I")))).toBe("checkpoint_invalid");
    expect(code(() => parseCheckpoint(ok.replace("CsUY", "")))).toBe("checkpoint_invalid");
    expect(code(() => parseCheckpoint(`\n5\n${ok.split("\n")[2]}\n`))).toBe("checkpoint_invalid");
    expect(code(() => parseCheckpoint("o\n5\n"))).toBe("checkpoint_invalid");
    expect(code(() => parseCheckpoint(`${ok}\n`))).toBe("checkpoint_invalid");
    expect(code(() => parseCheckpoint(ok.slice(0, -1)))).toBe("checkpoint_invalid");
  });

  it("cosigns with cosignature/v1 and a timestamp, bound to the whole checkpoint text", () => {
    const text = formatCheckpoint({ origin: "latchkey.example/kt", size: 42, rootHash, extensions: [] });
    expect(new TextDecoder().decode(cosignatureMessage(text, 1679315147))).toBe(`cosignature/v1\ntime 1679315147\n${text}`);
    const note = signNote(text, [logSigner, witnessSigner]);
    const { verified } = openNote(note, [logVerifier, witnessVerifier]);
    expect(verified).toEqual([
      { name: "latchkey.example/kt", keyId: logVerifier.keyId, type: SIGNATURE_TYPE_ED25519 },
      { name: "witness.example/w1", keyId: witnessVerifier.keyId, type: SIGNATURE_TYPE_COSIGNATURE_V1, timestamp: 1679315147 },
    ]);
    // A cosignature's timestamp is signed: changing it breaks the signature.
    const sig = parseNote(note).signatures[1]!;
    const restamped = sig.signature.slice();
    restamped[7]! ^= 1;
    const forged = signNote(text, [], [parseNote(note).signatures[0]!, { ...sig, signature: restamped }]);
    expect(code(() => openNote(forged, [logVerifier, witnessVerifier]))).toBe("signature_invalid");
    // The same key cannot pass as the other type: the key IDs differ, so it is an unknown key.
    expect(code(() => openNote(signNote(text, [witnessSigner]), [noteVerifier(formatVkey("witness.example/w1", SIGNATURE_TYPE_ED25519, parseVkey(formatVkey("witness.example/w1", SIGNATURE_TYPE_COSIGNATURE_V1, hexToBytes("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c"))).publicKey))]))).toBe("unknown_key");
  });

  it("refuses a cosigned checkpoint whose text changed after signing", () => {
    const text = formatCheckpoint({ origin: "latchkey.example/kt", size: 42, rootHash, extensions: [] });
    const note = signNote(text, [witnessSigner]);
    expect(code(() => openNote(note.replace("\n42\n", "\n43\n"), [witnessVerifier]))).toBe("signature_invalid");
    expect(code(() => openNote(note.replace(text, `${text}ext\n`), [witnessVerifier]))).toBe("signature_invalid");
  });
});

describe("tlog-tiles", () => {
  it("encodes tile indexes in 3-digit groups, all but the last with an x", () => {
    expect(encodeTileIndex(0)).toBe("000");
    expect(encodeTileIndex(999)).toBe("999");
    expect(encodeTileIndex(1000)).toBe("x001/000");
    expect(encodeTileIndex(1234067)).toBe("x001/x234/067");
    expect(tilePath({ level: 0, index: 1234067, width: 256 })).toBe("tile/0/x001/x234/067");
    expect(tilePath({ level: 2, index: 5, width: 17 })).toBe("tile/2/005.p/17");
    expect(entriesPath(1234067, 112)).toBe("tile/entries/x001/x234/067.p/112");
  });

  it("parses only the canonical spelling of a tile path", () => {
    expect(parseTilePath("tile/0/x001/x234/067")).toEqual({ level: 0, index: 1234067, width: 256, entries: false });
    expect(parseTilePath("tile/63/000.p/255")).toEqual({ level: 63, index: 0, width: 255, entries: false });
    expect(parseTilePath("tile/entries/x001/000.p/1")).toEqual({ entries: true, index: 1000, width: 1 });
    for (const bad of ["tile/64/000", "tile/01/000", "tile/0/x000/001", "tile/0/1", "tile/0/001/002", "tile/0/000.p/256", "tile/0/000.p/0", "tile/0/000.p/07", "tile/0/x001", "tile/data/000", "/tile/0/000", "tile/0/000/"]) {
      expect(parseTilePath(bad)).toBeNull();
    }
  });

  it("lists the spec's tiles for a tree of 70,000 leaves", () => {
    const tiles = tilesForSize(70000);
    expect(tiles.filter((t) => t.level === 0 && t.width === 256)).toHaveLength(273);
    expect(tiles.filter((t) => t.width < 256)).toEqual([
      { level: 0, index: 273, width: 112 },
      { level: 1, index: 1, width: 17 },
      { level: 2, index: 0, width: 1 },
    ]);
    expect(tiles.filter((t) => t.level === 1 && t.width === 256)).toHaveLength(1);
    expect(tilesForSize(256)).toEqual([
      { level: 0, index: 0, width: 256 },
      { level: 1, index: 0, width: 1 },
    ]);
    expect(tilesForSize(0)).toEqual([]);
  });

  it("serves proofs from tiles that match the proofs from the leaves", () => {
    const size = 256 * 256 + 3 * 256 + 77;
    const leaves = Array.from({ length: size }, (_, i) => leafHash(utf8ToBytes(String(i))));
    const reader = leafArrayReader(leaves);
    const stored = new Map<string, Uint8Array>(tilesForSize(size).map((tile) => [tilePath(tile), buildTile(tile, reader)]));
    const fetched: string[] = [];
    const fromTiles = tileHashReader(size, (tile: TileId) => {
      fetched.push(tilePath(tile));
      return stored.get(tilePath(tile))!;
    });
    expect(treeHash(fromTiles, size)).toEqual(treeHash(reader, size));
    for (const [index, oldSize] of [[0, 1], [65535, 65536], [size - 1, 66000], [12345, 256]] as const) {
      fetched.length = 0;
      expect(inclusionProof(index, size, fromTiles)).toEqual(inclusionProof(index, size, reader));
      expect(new Set(fetched)).toEqual(new Set(tilesForNodes(inclusionProofNodes(index, size), size).map(tilePath)));
      fetched.length = 0;
      expect(consistencyProof(oldSize, size, fromTiles)).toEqual(consistencyProof(oldSize, size, reader));
      expect(new Set(fetched)).toEqual(new Set(tilesForNodes(consistencyProofNodes(oldSize, size), size).map(tilePath)));
    }
    expect(code(() => tileHashReader(size, () => new Uint8Array(31))(0, 0))).toBe("malformed");
  });

  it("round-trips entry bundles and refuses truncated ones", () => {
    const entries = [new Uint8Array(), utf8ToBytes("a"), new Uint8Array(300).fill(7)];
    const bundle = encodeEntryBundle(entries);
    expect(bundle.length).toBe(2 + 3 + 302);
    expect(decodeEntryBundle(bundle)).toEqual(entries);
    expect(code(() => decodeEntryBundle(bundle.slice(0, -1)))).toBe("malformed");
    expect(code(() => decodeEntryBundle(new Uint8Array()))).toBe("malformed");
  });
});

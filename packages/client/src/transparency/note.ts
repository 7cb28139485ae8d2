/**
 * C2SP formats for the epoch log: signed notes (c2sp.org/signed-note) with Ed25519 keys, verifier
 * keys (vkeys), checkpoints (c2sp.org/tlog-checkpoint), Ed25519 cosignatures (c2sp.org/
 * tlog-cosignature, `cosignature/v1` with a timestamp), and tlog-tiles paths, tiles and entry
 * bundles. Parsing is strict: one accepted spelling of every note, so two parties that accept a
 * note agree on what it says.
 */
import { ed25519 } from "@noble/curves/ed25519.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { randomBytes } from "@noble/hashes/utils.js";
import { base64ToBytes, bytesToBase64, concatBytes, uintBE, utf8ToBytes } from "./bytes";
import { check, TransparencyError } from "./errors";
import { HASH_BYTES, nodeHash, type HashReader, type NodeId } from "./merkle";

/** Signature type bytes of c2sp.org/signed-note. */
export const SIGNATURE_TYPE_ED25519 = 0x01;
export const SIGNATURE_TYPE_COSIGNATURE_V1 = 0x04;
type SignatureType = typeof SIGNATURE_TYPE_ED25519 | typeof SIGNATURE_TYPE_COSIGNATURE_V1;

/** The spec says verifiers must accept at least 16; more than this is refused as abuse. */
export const MAX_SIGNATURES = 100;
const MAX_TIMESTAMP = 2n ** 63n - 1n;

export interface NoteSignature {
  name: string;
  keyId: number;
  /** The signature bytes after the 4-byte key ID. */
  signature: Uint8Array;
}

export interface Note {
  /** The note text, ending in a newline, without the blank line and signatures. */
  text: string;
  signatures: NoteSignature[];
}

export interface VerifiedSignature {
  name: string;
  keyId: number;
  type: SignatureType;
  /** Cosignatures only: the cosigner's POSIX time of signing. */
  timestamp?: number;
}

export interface NoteVerifier {
  name: string;
  keyId: number;
  type: SignatureType;
  /** The verified signature's details, or null if it does not verify. */
  verify(text: string, signature: Uint8Array): VerifiedSignature | null;
}

export interface NoteSigner {
  name: string;
  keyId: number;
  sign(text: string): Uint8Array;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// ASCII control characters other than newline.
const CONTROL = /[\u0000-\u0009\u000B-\u001F]/;

/** Key names: non-empty, no Unicode space, no plus (they would break vkeys and signature lines). */
export function isValidKeyName(name: string): boolean {
  return name.length > 0 && !/[\s+]/u.test(name) && !LONE_SURROGATE.test(name) && !CONTROL.test(name);
}

/** key ID = SHA-256(key name || 0x0A || signature type || public key)[:4], big-endian. */
export function keyId(name: string, type: SignatureType, publicKey: Uint8Array): number {
  const hash = sha256(concatBytes(utf8ToBytes(name), Uint8Array.of(0x0a, type), publicKey));
  return ((hash[0]! << 24) | (hash[1]! << 16) | (hash[2]! << 8) | hash[3]!) >>> 0;
}

function keyIdHex(id: number): string {
  return id.toString(16).padStart(8, "0");
}

function decodeText(input: string | Uint8Array): string {
  if (typeof input === "string") {
    check(!LONE_SURROGATE.test(input), "malformed", "note is not valid UTF-8");
    return input;
  }
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(input);
  } catch {
    throw new TransparencyError("malformed", "note is not valid UTF-8");
  }
}

/** Splits a note into its text and signature lines without checking any signature. */
export function parseNote(input: string | Uint8Array): Note {
  const note = decodeText(input);
  check(!CONTROL.test(note), "malformed", "note contains control characters");
  check(note.endsWith("\n"), "malformed", "note does not end in a newline");
  const split = note.lastIndexOf("\n\n");
  check(split >= 0, "malformed", "note has no signatures");
  const text = note.slice(0, split + 1);
  const lines = note.slice(split + 2, -1).split("\n");
  check(lines.length <= MAX_SIGNATURES, "malformed", "note has too many signatures");
  const signatures = lines.map((line) => {
    const match = /^\u2014 ([^ ]+) ([^ ]+)$/.exec(line);
    check(match !== null && isValidKeyName(match[1]!), "malformed", "malformed signature line");
    const bytes = base64ToBytes(match[2]!);
    check(bytes.length > 4, "malformed", "signature is too short");
    const id = ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
    return { name: match[1]!, keyId: id, signature: bytes.slice(4) };
  });
  return { text, signatures };
}

/**
 * Opens a signed note (c2sp.org/signed-note "Signatures"): signatures by unknown keys are ignored,
 * a signature by a known key (same name and ID) that fails rejects the whole note, and at least one
 * known key must have signed. Returns the text and the verified signatures, one per key.
 */
export function openNote(input: string | Uint8Array, verifiers: readonly NoteVerifier[]): { text: string; verified: VerifiedSignature[] } {
  const { text, signatures } = parseNote(input);
  const verified = new Map<string, VerifiedSignature>();
  for (const sig of signatures) {
    const verifier = verifiers.find((v) => v.name === sig.name && v.keyId === sig.keyId);
    if (!verifier) continue;
    const result = verifier.verify(text, sig.signature);
    check(result !== null, "signature_invalid", `signature by ${sig.name} does not verify`);
    verified.set(`${sig.name}+${keyIdHex(sig.keyId)}`, result);
  }
  check(verified.size > 0, "unknown_key", "note is signed by no known key");
  return { text, verified: [...verified.values()] };
}

/** Signs a note text with each signer, appending to signature lines already present. */
export function signNote(text: string, signers: readonly NoteSigner[], existing: readonly NoteSignature[] = []): string {
  check(text.endsWith("\n") && !CONTROL.test(text) && !LONE_SURROGATE.test(text), "malformed", "note text must be text ending in a newline");
  const lines = [
    ...existing.map((sig) => formatSignatureLine(sig)),
    ...signers.map((signer) => formatSignatureLine({ name: signer.name, keyId: signer.keyId, signature: signer.sign(text) })),
  ];
  return `${text}\n${lines.join("")}`;
}

export function formatSignatureLine(sig: NoteSignature): string {
  check(isValidKeyName(sig.name), "malformed", "invalid key name");
  return `\u2014 ${sig.name} ${bytesToBase64(concatBytes(uintBE(sig.keyId, 4), sig.signature))}\n`;
}

function strictEd25519Verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  // RFC 8032 strict: canonical encodings, small-order keys refused (not ZIP-215).
  return signature.length === 64 && ed25519.verify(signature, message, publicKey, { zip215: false });
}

/** The message an Ed25519 cosigner signs: two header lines, then the checkpoint text. */
export function cosignatureMessage(text: string, timestamp: number): Uint8Array {
  check(Number.isSafeInteger(timestamp) && timestamp >= 0, "malformed", "cosignature timestamp must be a non-negative integer");
  return utf8ToBytes(`cosignature/v1\ntime ${timestamp}\n${text}`);
}

function readUint64(bytes: Uint8Array): bigint {
  let n = 0n;
  for (const byte of bytes) n = (n << 8n) | BigInt(byte);
  return n;
}

/** Go's strings.SplitN: at most n parts, the last one holding the rest. */
function splitN(text: string, separator: string, n: number): string[] {
  const parts = text.split(separator);
  return parts.length <= n ? parts : [...parts.slice(0, n - 1), parts.slice(n - 1).join(separator)];
}

export interface VerifierKey {
  name: string;
  keyId: number;
  type: SignatureType;
  publicKey: Uint8Array;
}

/** Parses `<name>+<hex key ID>+<base64(type || public key)>` and checks the ID is the key's. */
export function parseVkey(vkey: string): VerifierKey {
  // The base64 part may itself hold plus signs: only the first two separate.
  const parts = splitN(vkey, "+", 3);
  check(parts.length === 3, "malformed", "vkey must have three parts");
  const [name, idHex, keyBase64] = parts as [string, string, string];
  check(isValidKeyName(name), "malformed", "invalid key name in vkey");
  check(/^[0-9a-f]{8}$/.test(idHex), "malformed", "vkey key ID must be 8 lowercase hex digits");
  const key = base64ToBytes(keyBase64);
  const type = key[0];
  check(type === SIGNATURE_TYPE_ED25519 || type === SIGNATURE_TYPE_COSIGNATURE_V1, "malformed", "unsupported vkey signature type");
  const publicKey = key.slice(1);
  check(publicKey.length === 32, "malformed", "Ed25519 vkey must hold 32 bytes");
  const id = Number.parseInt(idHex, 16);
  check(id === keyId(name, type, publicKey), "malformed", "vkey key ID does not match its key");
  return { name, keyId: id, type, publicKey };
}

export function formatVkey(name: string, type: SignatureType, publicKey: Uint8Array): string {
  check(isValidKeyName(name), "malformed", "invalid key name");
  return `${name}+${keyIdHex(keyId(name, type, publicKey))}+${bytesToBase64(concatBytes(Uint8Array.of(type), publicKey))}`;
}

export function noteVerifier(vkey: string | VerifierKey): NoteVerifier {
  const key = typeof vkey === "string" ? parseVkey(vkey) : vkey;
  const base = { name: key.name, keyId: key.keyId, type: key.type };
  if (key.type === SIGNATURE_TYPE_ED25519) {
    return { ...base, verify: (text, sig) => (strictEd25519Verify(key.publicKey, utf8ToBytes(text), sig) ? { ...base } : null) };
  }
  return {
    ...base,
    verify(text, sig) {
      if (sig.length !== 8 + 64) return null;
      const timestamp = readUint64(sig.subarray(0, 8));
      if (timestamp > MAX_TIMESTAMP || timestamp > BigInt(Number.MAX_SAFE_INTEGER)) return null;
      const ok = strictEd25519Verify(key.publicKey, cosignatureMessage(text, Number(timestamp)), sig.subarray(8));
      return ok ? { ...base, timestamp: Number(timestamp) } : null;
    },
  };
}

/**
 * A signer for either type. Cosigners stamp each signature with `now()` (POSIX seconds), which
 * defaults to the clock; checkpoints of the log itself carry plain Ed25519 signatures.
 */
export function noteSigner(name: string, type: SignatureType, secretKey: Uint8Array, now: () => number = () => Math.floor(Date.now() / 1000)): NoteSigner {
  check(isValidKeyName(name), "malformed", "invalid key name");
  check(secretKey.length === 32, "malformed", "Ed25519 secret key must be 32 bytes");
  const id = keyId(name, type, ed25519.getPublicKey(secretKey));
  if (type === SIGNATURE_TYPE_ED25519) return { name, keyId: id, sign: (text) => ed25519.sign(utf8ToBytes(text), secretKey) };
  return {
    name,
    keyId: id,
    sign(text) {
      const timestamp = now();
      return concatBytes(uintBE(timestamp, 8), ed25519.sign(cosignatureMessage(text, timestamp), secretKey));
    },
  };
}

/**
 * The private key encoding of golang.org/x/mod/sumdb/note (`PRIVATE+KEY+<name>+<id>+<base64(type
 * || seed)>`), which transparency-dev's witness and tools read too, so keys move between them.
 */
export function generateNoteKey(name: string, type: SignatureType): { skey: string; vkey: string } {
  const seed = randomBytes(32);
  const vkey = formatVkey(name, type, ed25519.getPublicKey(seed));
  return { skey: `PRIVATE+KEY+${name}+${vkey.split("+")[1]}+${bytesToBase64(concatBytes(Uint8Array.of(type), seed))}`, vkey };
}

export function parseSkey(skey: string): { name: string; type: SignatureType; secretKey: Uint8Array; vkey: string } {
  const parts = splitN(skey, "+", 5);
  check(parts.length === 5 && parts[0] === "PRIVATE" && parts[1] === "KEY", "malformed", "not a note private key");
  const [, , name, idHex, keyBase64] = parts as [string, string, string, string, string];
  const key = base64ToBytes(keyBase64);
  const type = key[0];
  check(type === SIGNATURE_TYPE_ED25519 || type === SIGNATURE_TYPE_COSIGNATURE_V1, "malformed", "unsupported private key type");
  const secretKey = key.slice(1);
  check(secretKey.length === 32, "malformed", "Ed25519 private key must hold a 32-byte seed");
  const vkey = formatVkey(name, type, ed25519.getPublicKey(secretKey));
  check(vkey.split("+")[1] === idHex, "malformed", "private key ID does not match its key");
  return { name, type, secretKey, vkey };
}

export interface Checkpoint {
  origin: string;
  size: number;
  rootHash: Uint8Array;
  extensions: string[];
}

const DECIMAL = /^(0|[1-9][0-9]*)$/;

/** The checkpoint note text (c2sp.org/tlog-checkpoint): origin, size, root hash, extension lines. */
export function formatCheckpoint(checkpoint: Checkpoint): string {
  const { origin, size, rootHash, extensions } = checkpoint;
  check(origin.length > 0 && !origin.includes("\n"), "malformed", "origin must be one non-empty line");
  check(Number.isSafeInteger(size) && size >= 0, "malformed", "tree size must be a non-negative integer");
  check(rootHash.length === HASH_BYTES, "malformed", "root hash must be 32 bytes");
  check(extensions.every((line) => line.length > 0 && !line.includes("\n")), "malformed", "extension lines must be non-empty lines");
  return [origin, String(size), bytesToBase64(rootHash), ...extensions].map((line) => `${line}\n`).join("");
}

export function parseCheckpoint(text: string): Checkpoint {
  const code = "checkpoint_invalid";
  check(text.endsWith("\n"), code, "checkpoint text must end in a newline");
  const lines = text.slice(0, -1).split("\n");
  check(lines.length >= 3 && lines.every((line) => line.length > 0), code, "checkpoint needs at least three non-empty lines");
  const [origin, sizeLine, rootLine, ...extensions] = lines as [string, string, string, ...string[]];
  check(DECIMAL.test(sizeLine), code, "tree size is not a decimal without leading zeros");
  const size = Number(sizeLine);
  check(Number.isSafeInteger(size), code, "tree size is too large");
  let rootHash: Uint8Array;
  try {
    rootHash = base64ToBytes(rootLine);
  } catch {
    throw new TransparencyError(code, "root hash is not base64");
  }
  check(rootHash.length === HASH_BYTES, code, "root hash must be 32 bytes");
  return { origin, size, rootHash, extensions };
}

// ---- tlog-tiles ----

export const TILE_HEIGHT = 8;
export const TILE_WIDTH = 256;

export interface TileId {
  /** Tile level L: its hashes are tree nodes at level 8·L. */
  level: number;
  index: number;
  /** 1–255 for a partial tile, 256 for a full one. */
  width: number;
}

/** N as zero-padded 3-digit path elements, all but the last prefixed with "x": x001/x234/067. */
export function encodeTileIndex(index: number): string {
  check(Number.isSafeInteger(index) && index >= 0, "malformed", "tile index must be a non-negative integer");
  const groups: string[] = [];
  let n = index;
  do {
    groups.unshift(String(n % 1000).padStart(3, "0"));
    n = Math.floor(n / 1000);
  } while (n > 0);
  return groups.map((group, i) => (i < groups.length - 1 ? `x${group}` : group)).join("/");
}

function widthSuffix(width: number): string {
  check(Number.isInteger(width) && width >= 1 && width <= TILE_WIDTH, "malformed", "tile width must be 1–256");
  return width === TILE_WIDTH ? "" : `.p/${width}`;
}

/** `tile/<L>/<N>[.p/<W>]` */
export function tilePath(tile: TileId): string {
  check(Number.isInteger(tile.level) && tile.level >= 0 && tile.level <= 63, "malformed", "tile level must be 0–63");
  return `tile/${tile.level}/${encodeTileIndex(tile.index)}${widthSuffix(tile.width)}`;
}

/** `tile/entries/<N>[.p/<W>]` */
export function entriesPath(index: number, width: number): string {
  return `tile/entries/${encodeTileIndex(index)}${widthSuffix(width)}`;
}

/**
 * Reads a path under the log prefix back; returns null for anything that is not the one canonical
 * spelling of a tile or entry bundle (so a server can answer 404 without a second parser).
 */
export function parseTilePath(path: string): (TileId & { entries: false }) | { entries: true; index: number; width: number } | null {
  const match = /^tile\/(entries|0|[1-9][0-9]?)\/((?:x[0-9]{3}\/)*[0-9]{3})(?:\.p\/([1-9][0-9]{0,2}))?$/.exec(path);
  if (!match) return null;
  const index = Number(match[2]!.replaceAll("x", "").replaceAll("/", ""));
  const width = match[3] === undefined ? TILE_WIDTH : Number(match[3]);
  if (!Number.isSafeInteger(index) || (match[3] !== undefined && width >= TILE_WIDTH)) return null;
  if (match[1] === "entries") return entriesPath(index, width) === path ? { entries: true, index, width } : null;
  const tile = { level: Number(match[1]), index, width };
  return tile.level <= 63 && tilePath(tile) === path ? { ...tile, entries: false } : null;
}

/** Every tile a tree of `size` leaves is served as: full tiles, then the partial one per level. */
export function tilesForSize(size: number): TileId[] {
  check(Number.isSafeInteger(size) && size >= 0, "malformed", "tree size must be a non-negative integer");
  const tiles: TileId[] = [];
  for (let level = 0, span = size; span > 0; level++, span = Math.floor(span / TILE_WIDTH)) {
    const full = Math.floor(span / TILE_WIDTH);
    for (let index = 0; index < full; index++) tiles.push({ level, index, width: TILE_WIDTH });
    if (span % TILE_WIDTH > 0) tiles.push({ level, index: full, width: span % TILE_WIDTH });
  }
  return tiles;
}

/** A tile's bytes: its `width` hashes at tree level 8·L, read from any hash source. */
export function buildTile(tile: TileId, read: HashReader): Uint8Array {
  const first = tile.index * TILE_WIDTH;
  return concatBytes(...Array.from({ length: tile.width }, (_, i) => read(tile.level * TILE_HEIGHT, first + i)));
}

/** The tile holding tree node (level, index), and that node's first slot in it. */
function tileOf(node: NodeId, size: number): { tile: TileId; slot: number; count: number } {
  const level = Math.floor(node.level / TILE_HEIGHT);
  const count = 2 ** (node.level % TILE_HEIGHT);
  const first = node.index * count;
  const index = Math.floor(first / TILE_WIDTH);
  const stored = Math.floor(size / TILE_WIDTH ** level);
  const width = Math.min(TILE_WIDTH, stored - index * TILE_WIDTH);
  check(first + count <= stored, "malformed", "node is not in a tree of this size");
  return { tile: { level, index, width }, slot: first % TILE_WIDTH, count };
}

/** The tiles a reader over a tree of `size` needs to read the given nodes (fetch them first). */
export function tilesForNodes(nodes: readonly NodeId[], size: number): TileId[] {
  const tiles = new Map<string, TileId>();
  for (const node of nodes) {
    const { tile } = tileOf(node, size);
    tiles.set(tilePath(tile), tile);
  }
  return [...tiles.values()];
}

/**
 * A HashReader for the merkle proof functions over the tiles of a tree of `size` leaves, as
 * tlog-tiles lays them out: node (level, index) is hashed up from the slots of the tile that holds
 * its level's multiple of 8. `getTile` returns the tile bytes (fetched and checked by the caller).
 */
export function tileHashReader(size: number, getTile: (tile: TileId) => Uint8Array): HashReader {
  return (level, index) => {
    const { tile, slot, count } = tileOf({ level, index }, size);
    const data = getTile(tile);
    check(data.length === tile.width * HASH_BYTES, "malformed", `tile ${tilePath(tile)} has the wrong length`);
    let hashes: Uint8Array[] = Array.from({ length: count }, (_, i) => data.slice((slot + i) * HASH_BYTES, (slot + i + 1) * HASH_BYTES));
    while (hashes.length > 1) hashes = hashes.filter((_, i) => i % 2 === 0).map((left, i) => nodeHash(left, hashes[2 * i + 1]!));
    return hashes[0]!;
  };
}

/** Entry bundles: each entry as a big-endian uint16 length, then its bytes. */
export function encodeEntryBundle(entries: readonly Uint8Array[]): Uint8Array {
  check(entries.length >= 1 && entries.length <= TILE_WIDTH, "malformed", "an entry bundle holds 1–256 entries");
  return concatBytes(...entries.flatMap((entry) => [uintBE(entry.length, 2), entry]));
}

export function decodeEntryBundle(bundle: Uint8Array): Uint8Array[] {
  const entries: Uint8Array[] = [];
  for (let at = 0; at < bundle.length; ) {
    check(at + 2 <= bundle.length, "malformed", "entry bundle is truncated");
    const length = (bundle[at]! << 8) | bundle[at + 1]!;
    check(at + 2 + length <= bundle.length, "malformed", "entry bundle is truncated");
    entries.push(bundle.slice(at + 2, at + 2 + length));
    at += 2 + length;
  }
  check(entries.length >= 1 && entries.length <= TILE_WIDTH, "malformed", "an entry bundle holds 1–256 entries");
  return entries;
}

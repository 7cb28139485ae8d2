import { describe, expect, it } from "vitest";
import { utf8ToBytes } from "./bytes";
import { TransparencyError } from "./errors";
import { consistencyProof, EMPTY_ROOT, leafArrayReader, leafHash, treeHash } from "./merkle";
import { formatCheckpoint, formatSignatureLine, generateNoteKey, noteSigner, noteVerifier, openNote, parseNote, parseSkey, signNote, SIGNATURE_TYPE_COSIGNATURE_V1, SIGNATURE_TYPE_ED25519 } from "./note";
import type { TrustedCheckpoint } from "./verify";
import { addCheckpoint, addCosignatures, formatAddCheckpointRequest, parseAddCheckpointRequest } from "./witness";

const ORIGIN = "latchkey.example/kt";
const logKey = generateNoteKey(ORIGIN, SIGNATURE_TYPE_ED25519);
const witnessKey = generateNoteKey("witness.example/w1", SIGNATURE_TYPE_COSIGNATURE_V1);
const signerOf = (skey: string) => {
  const key = parseSkey(skey);
  return noteSigner(key.name, key.type, key.secretKey, () => 1_765_000_000);
};
const logs = new Map([[ORIGIN, [noteVerifier(logKey.vkey)]]]);
const leaves = Array.from({ length: 40 }, (_, i) => leafHash(utf8ToBytes(`epoch ${i}`)));
const reader = leafArrayReader(leaves);

function checkpointNote(size: number, origin = ORIGIN, skey = logKey.skey, root = treeHash(reader, size)): string {
  return signNote(formatCheckpoint({ origin, size, rootHash: root, extensions: [] }), [signerOf(skey)]);
}

/** A witness's storage, updated only on 200, as the real one must do atomically. */
function witness() {
  const state = new Map<string, TrustedCheckpoint>();
  return {
    submit(oldSize: number, size: number, note = checkpointNote(size), proof = consistencyProof(oldSize, size, reader)) {
      const outcome = addCheckpoint(formatAddCheckpointRequest({ oldSize, proof, note }), logs, (o) => state.get(o) ?? null, signerOf(witnessKey.skey));
      if (outcome.status === 200) state.set(outcome.checkpoint.origin, { size: outcome.checkpoint.size, rootHash: outcome.checkpoint.rootHash });
      return outcome;
    },
    state,
  };
}

describe("tlog-witness add-checkpoint", () => {
  it("parses the spec's request layout and round-trips it", () => {
    const note = checkpointNote(10);
    const proof = consistencyProof(5, 10, reader);
    const body = formatAddCheckpointRequest({ oldSize: 5, proof, note });
    expect(body.startsWith("old 5\n")).toBe(true);
    expect(parseAddCheckpointRequest(body)).toEqual({ oldSize: 5, proof, note });
    for (const bad of ["old 05\n\n" + note, "old 5\n" + note, "new 5\n\n" + note, `old 5\n${"AAAA\n".repeat(64)}\n${note}`, "old 5\nnot base64!\n\n" + note]) {
      expect(() => parseAddCheckpointRequest(bad)).toThrow(TransparencyError);
    }
  });

  it("cosigns a chain of consistent checkpoints and the cosignature verifies as cosignature/v1", () => {
    const w = witness();
    let previous = 0;
    for (const size of [1, 2, 7, 7, 20, 40]) {
      const note = checkpointNote(size);
      const outcome = w.submit(previous, size, note);
      expect(outcome.status).toBe(200);
      if (outcome.status !== 200) return;
      const cosigned = addCosignatures(note, outcome.cosignature, noteVerifier(witnessKey.vkey));
      const { verified } = openNote(cosigned, [noteVerifier(logKey.vkey), noteVerifier(witnessKey.vkey)]);
      expect(verified.map((v) => v.timestamp)).toEqual([undefined, 1_765_000_000]);
      previous = size;
    }
  });

  it("answers each failure with the status the spec gives it, and never signs a fork", () => {
    const w = witness();
    expect(w.submit(0, 10).status).toBe(200);
    // A fork of size 20 that shares nothing after leaf 10 cannot prove consistency: 422.
    const forkLeaves = [...leaves.slice(0, 12), ...leaves.slice(12, 20).map((l) => leafHash(l))];
    const forkReader = leafArrayReader(forkLeaves);
    const forkNote = checkpointNote(20, ORIGIN, logKey.skey, treeHash(forkReader, 20));
    expect(w.submit(10, 20, forkNote, consistencyProof(10, 20, reader))).toMatchObject({ status: 422 });
    expect(w.submit(10, 20, forkNote, consistencyProof(10, 20, forkReader))).toMatchObject({ status: 200 });
    // Now at the fork, the honest 30 is refused.
    expect(w.submit(20, 30)).toMatchObject({ status: 422 });
    // Stale old size: 409 with the witness's size.
    expect(w.submit(10, 30)).toEqual({ status: 409, latestSize: 20 });
    // Same size, other root: 422.
    expect(w.submit(20, 20)).toMatchObject({ status: 422 });
    // Unknown origin 404; not signed by the log 403; a bad log signature 403.
    expect(w.submit(20, 30, checkpointNote(30, "other.example/log", generateNoteKey("other.example/log", SIGNATURE_TYPE_ED25519).skey))).toMatchObject({ status: 404 });
    expect(w.submit(20, 30, checkpointNote(30, ORIGIN, generateNoteKey(ORIGIN, SIGNATURE_TYPE_ED25519).skey))).toMatchObject({ status: 403 });
    expect(w.submit(20, 30, checkpointNote(30).replace("\n30\n", "\n31\n"))).toMatchObject({ status: 403 });
    // Old size above the checkpoint: 400. Garbage: 400.
    expect(w.submit(30, 20, checkpointNote(20), [])).toMatchObject({ status: 400 });
    expect(addCheckpoint("nonsense", logs, () => null, signerOf(witnessKey.skey))).toMatchObject({ status: 400 });
    expect(w.state.get(ORIGIN)?.size).toBe(20);
  });

  it("refuses a non-empty proof from size zero and an empty tree with another root", () => {
    const w = witness();
    expect(w.submit(0, 10, checkpointNote(10), [leaves[0]!])).toMatchObject({ status: 422 });
    expect(w.submit(0, 0, checkpointNote(0, ORIGIN, logKey.skey, leaves[0]!), [])).toMatchObject({ status: 422 });
    expect(w.submit(0, 0, checkpointNote(0, ORIGIN, logKey.skey, EMPTY_ROOT), [])).toMatchObject({ status: 200 });
  });

  it("adds only the witness's verified cosignature to the log's note", () => {
    const note = checkpointNote(5);
    const w = witness();
    const outcome = w.submit(0, 5, note);
    if (outcome.status !== 200) throw new Error("expected a cosignature");
    const stranger = signerOf(generateNoteKey("stranger.example/x", SIGNATURE_TYPE_COSIGNATURE_V1).skey);
    const strangerLine = signNote(formatCheckpoint({ origin: ORIGIN, size: 5, rootHash: treeHash(reader, 5), extensions: [] }), [stranger]).split("\n\n")[1]!;
    const cosigned = addCosignatures(note, outcome.cosignature + strangerLine, noteVerifier(witnessKey.vkey));
    expect(cosigned.split("\n— ")).toHaveLength(3);
    expect(() => addCosignatures(note, strangerLine, noteVerifier(witnessKey.vkey))).toThrow(TransparencyError);
    const [line] = parseNote(`${parseNote(note).text}\n${outcome.cosignature}`).signatures;
    const signature = line!.signature.slice();
    signature[20]! ^= 1;
    const forged = formatSignatureLine({ ...line!, signature });
    expect(() => addCosignatures(note, forged, noteVerifier(witnessKey.vkey))).toThrow(TransparencyError);
  });
});

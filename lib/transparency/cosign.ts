/**
 * The log's push to its witnesses and auditor (ADR 0077): after an epoch is published (and
 * committed), the newest checkpoint goes to every KT_WITNESSES entry as a c2sp.org/tlog-witness
 * add-checkpoint request, each with a timeout, all at once; the cosignatures that verify under the
 * witness's configured key are stored and served with the checkpoint. A witness that is down,
 * slow or refusing only loses its cosignature on this epoch: publishing never waits for it.
 */
import {
  addCosignatures,
  consistencyProof,
  formatAddCheckpointRequest,
  formatSignatureLine,
  noteVerifier,
  parseNote,
} from "../../packages/client/src/transparency/index";
import { prisma, type Tx } from "../db";
import { env, type KtWitness } from "../env";
import { logLeafHashes } from "./publish";

const WITNESS_TIMEOUT_MS = 5_000;

export type PushOutcome = { name: string; cosigned: true } | { name: string; cosigned: false; reason: string };

/** The stored checkpoint note of the epoch with `size` epochs, with the cosignatures collected for it. */
export async function withCosignatures(db: Tx, size: number, note: string): Promise<string> {
  const rows = await db.ktCosignature.findMany({ where: { epochSize: size }, orderBy: { keyName: "asc" }, select: { signature: true } });
  return note + rows.map((row) => row.signature).join("");
}

async function post(witness: KtWitness, body: string): Promise<{ status: number; text: string }> {
  const response = await fetch(new URL("add-checkpoint", witness.url.endsWith("/") ? witness.url : `${witness.url}/`), {
    method: "POST",
    headers: { "content-type": "text/plain; charset=utf-8" },
    body,
    signal: AbortSignal.timeout(WITNESS_TIMEOUT_MS),
  });
  return { status: response.status, text: await response.text() };
}

async function pushTo(witness: KtWitness, note: string, hashes: readonly Uint8Array[]): Promise<PushOutcome> {
  const size = hashes.length;
  const verifier = noteVerifier(witness.vkey);
  const last = await prisma.ktCosignature.findFirst({ where: { keyName: witness.name }, orderBy: { epochSize: "desc" }, select: { epochSize: true } });
  let oldSize = Math.min(last?.epochSize ?? 0, size);
  // One retry: a 409 names the size the witness holds (it lost state, or missed our last answer).
  for (let attempt = 0; attempt < 2; attempt++) {
    const proof = oldSize > 0 && oldSize < size ? consistencyProof(oldSize, size, hashes) : [];
    const { status, text } = await post(witness, formatAddCheckpointRequest({ oldSize, proof, note }));
    if (status === 200) {
      const signatures = parseNote(addCosignatures(note, text, verifier)).signatures.filter((s) => s.name === verifier.name && s.keyId === verifier.keyId);
      const signature = signatures.map(formatSignatureLine).join("");
      await prisma.ktCosignature.upsert({ where: { epochSize_keyName: { epochSize: size, keyName: witness.name } }, create: { epochSize: size, keyName: witness.name, signature }, update: { signature } });
      return { name: witness.name, cosigned: true };
    }
    const held = Number(text.trim());
    if (status !== 409 || !Number.isSafeInteger(held) || held === oldSize) return { name: witness.name, cosigned: false, reason: `${status}: ${text.trim().slice(0, 200)}` };
    if (held > size) return { name: witness.name, cosigned: false, reason: `the witness holds ${held} epochs, more than the log's ${size}` };
    oldSize = held;
  }
  return { name: witness.name, cosigned: false, reason: "the witness's size kept changing" };
}

/** Pushes the newest checkpoint to every configured witness; never throws for a witness's fault. */
export async function pushCheckpoint(witnesses: readonly KtWitness[] = env().KT_WITNESSES): Promise<PushOutcome[]> {
  if (witnesses.length === 0) return [];
  const { note, hashes } = await prisma.$transaction(
    async (tx) => {
      const newest = await tx.ktEpoch.findFirst({ orderBy: { index: "desc" }, select: { checkpoint: true } });
      return { note: newest?.checkpoint, hashes: await logLeafHashes(tx) };
    },
    { isolationLevel: "RepeatableRead" },
  );
  if (!note) return [];
  const outcomes = await Promise.all(
    witnesses.map((witness) => pushTo(witness, note, hashes).catch((error: unknown): PushOutcome => ({ name: witness.name, cosigned: false, reason: error instanceof Error ? error.message : String(error) }))),
  );
  for (const outcome of outcomes) if (!outcome.cosigned) console.warn(`[kt] ${outcome.name} did not cosign epoch ${hashes.length - 1}: ${outcome.reason}`);
  return outcomes;
}

/**
 * The witness side of c2sp.org/tlog-witness `add-checkpoint`, as pure functions: parsing the
 * request body, the checks and status codes the spec assigns, and the cosignature lines of a
 * 200 answer. The caller keeps the witness's state and must check-and-store it atomically (the
 * spec's rollback race), e.g. under SELECT … FOR UPDATE.
 */
import { base64ToBytes, bytesEqual, bytesToBase64 } from "./bytes";
import { check, TransparencyError } from "./errors";
import { EMPTY_ROOT, verifyConsistency } from "./merkle";
import { formatSignatureLine, openNote, parseCheckpoint, parseNote, type Checkpoint, type NoteSigner, type NoteVerifier } from "./note";
import type { TrustedCheckpoint } from "./verify";

/** The spec allows at most 63 consistency proof lines. */
export const MAX_PROOF_LINES = 63;

export interface AddCheckpointRequest {
  oldSize: number;
  proof: Uint8Array[];
  /** The submitted checkpoint note, signatures included. */
  note: string;
}

export function formatAddCheckpointRequest(request: AddCheckpointRequest): string {
  check(request.proof.length <= MAX_PROOF_LINES, "malformed", "too many consistency proof lines");
  return `old ${request.oldSize}\n${request.proof.map((hash) => `${bytesToBase64(hash)}\n`).join("")}\n${request.note}`;
}

/** Reads the body: `old <size>`, proof lines, an empty line, the checkpoint. Throws `malformed`. */
export function parseAddCheckpointRequest(body: string): AddCheckpointRequest {
  const blank = body.indexOf("\n\n");
  check(blank >= 0, "malformed", "no empty line before the checkpoint");
  const [oldLine, ...proofLines] = body.slice(0, blank).split("\n");
  const match = /^old (0|[1-9][0-9]*)$/.exec(oldLine!);
  check(match !== null, "malformed", "the first line must be `old <size>`");
  const oldSize = Number(match[1]);
  check(Number.isSafeInteger(oldSize), "malformed", "old size is too large");
  check(proofLines.length <= MAX_PROOF_LINES, "malformed", "too many consistency proof lines");
  return { oldSize, proof: proofLines.map(base64ToBytes), note: body.slice(blank + 2) };
}

export type AddCheckpointOutcome =
  | { status: 200; checkpoint: Checkpoint; cosignature: string }
  | { status: 409; latestSize: number }
  | { status: 400 | 403 | 404 | 422; message: string };

/**
 * Decides an add-checkpoint request. `logs` maps each known origin to its trusted log keys;
 * `latest` is the last checkpoint this witness cosigned for that origin (null: none). On 200,
 * store `checkpoint` as the new latest before answering `cosignature` (signature lines).
 */
export function addCheckpoint(
  body: string,
  logs: ReadonlyMap<string, readonly NoteVerifier[]>,
  latest: (origin: string) => TrustedCheckpoint | null,
  signer: NoteSigner,
): AddCheckpointOutcome {
  let request: AddCheckpointRequest;
  let checkpoint: Checkpoint;
  try {
    request = parseAddCheckpointRequest(body);
    checkpoint = parseCheckpoint(parseNote(request.note).text);
  } catch (error) {
    if (error instanceof TransparencyError) return { status: 400, message: error.message };
    throw error;
  }
  const verifiers = logs.get(checkpoint.origin);
  if (!verifiers) return { status: 404, message: "unknown log origin" };
  let text: string;
  try {
    text = openNote(request.note, verifiers).text;
  } catch (error) {
    if (error instanceof TransparencyError) return { status: 403, message: error.message };
    throw error;
  }
  const { oldSize, proof } = request;
  if (oldSize > checkpoint.size) return { status: 400, message: "old size is larger than the checkpoint" };
  const previous = latest(checkpoint.origin);
  if (oldSize !== (previous?.size ?? 0)) return { status: 409, latestSize: previous?.size ?? 0 };
  if (checkpoint.size === 0 && !bytesEqual(checkpoint.rootHash, EMPTY_ROOT)) return { status: 422, message: "an empty tree has the empty root" };
  try {
    verifyConsistency(oldSize, checkpoint.size, previous?.rootHash ?? EMPTY_ROOT, checkpoint.rootHash, proof);
  } catch (error) {
    if (error instanceof TransparencyError) return { status: 422, message: error.message };
    throw error;
  }
  return { status: 200, checkpoint, cosignature: formatSignatureLine({ name: signer.name, keyId: signer.keyId, signature: signer.sign(text) }) };
}

/**
 * The log's side: adds a witness's answer (signature lines) to its checkpoint note after checking
 * them with that witness's verifier, so a bad or foreign cosignature is never published.
 */
export function addCosignatures(note: string, response: string, witness: NoteVerifier): string {
  const { text, signatures } = parseNote(note);
  openNote(`${text}\n${response}`, [witness]);
  const isWitness = (sig: { name: string; keyId: number }) => sig.name === witness.name && sig.keyId === witness.keyId;
  const added = parseNote(`${text}\n${response}`).signatures.filter(isWitness);
  return `${text}\n${[...signatures.filter((sig) => !isWitness(sig)), ...added].map(formatSignatureLine).join("")}`;
}

/**
 * End-to-end check of a served identity key, as a client runs it before trusting a bundle:
 *
 *   checkpoint signed by the log, cosigned by enough witnesses and every required cosigner
 *   (the auditor), fresh → consistent with the checkpoint the client trusted before → the newest
 *   epoch's entry included in it → the label's greatest version proved in that epoch's prefix
 *   tree (VRF proofs, binary ladder, prefix proof) → the served value opens its commitment → the
 *   served device's identity key is the one in the value.
 *
 * Any failure throws a TransparencyError; nothing falls back to trusting the server.
 */
import { commit } from "./commitment";
import { bytesEqual } from "./bytes";
import { check } from "./errors";
import { verifyGreatestVersion, type BinaryLadderStep } from "./ladder";
import { decodeDeviceKeys, labels, logEntryLeafHash, type DeviceKey, type LogEntry } from "./log-entry";
import { verifyConsistency, verifyInclusion } from "./merkle";
import { noteVerifier, openNote, parseCheckpoint, SIGNATURE_TYPE_COSIGNATURE_V1, SIGNATURE_TYPE_ED25519, type Checkpoint, type NoteVerifier } from "./note";
import type { PrefixProof } from "./prefix-tree";

export interface TransparencyPolicy {
  /** The checkpoint origin line the log must use. */
  origin: string;
  /** The log's Ed25519 vkey (signature type 0x01). */
  logVkey: string;
  /** The log's VRF public key. */
  vrfPublicKey: Uint8Array;
  /** Witness vkeys (cosignature/v1, type 0x04); at least `minWitnesses` of them must cosign. */
  witnessVkeys: readonly string[];
  minWitnesses: number;
  /** Cosigners that must all cosign, such as the auditor (cosignature/v1 vkeys). */
  requiredCosignerVkeys: readonly string[];
  /** How old the newest cosignature and the newest epoch may be. */
  maxAgeSeconds: number;
  /** How far in the future a timestamp may be (clock skew). Defaults to 60 s. */
  maxSkewSeconds?: number;
}

/** What a client keeps between answers: the last checkpoint it accepted. */
export interface TrustedCheckpoint {
  size: number;
  rootHash: Uint8Array;
}

/** A search answer for a label's greatest version in the newest epoch. */
export interface SearchAnswer {
  /** The checkpoint as a signed note, with the log's signature and the cosignatures. */
  checkpoint: string;
  /** Consistency proof from the trusted checkpoint's size (empty when the client has none). */
  consistency: readonly Uint8Array[];
  /** The newest epoch's log entry (leaf size − 1) and its inclusion proof. */
  logEntry: LogEntry;
  inclusion: readonly Uint8Array[];
  label: Uint8Array;
  version: number;
  value: Uint8Array;
  opening: Uint8Array;
  ladder: readonly BinaryLadderStep[];
  prefixProof: PrefixProof;
}

export interface VerifiedSearch {
  checkpoint: Checkpoint;
  /** Store this; pass it as `trusted` next time. */
  trusted: TrustedCheckpoint;
  version: number;
  value: Uint8Array;
  /** Names of the cosigners whose cosignatures counted. */
  cosigners: string[];
}

function verifiersOf(vkeys: readonly string[], type: number, what: string): NoteVerifier[] {
  return vkeys.map((vkey) => {
    const verifier = noteVerifier(vkey);
    check(verifier.type === type, "malformed", `${what} key ${verifier.name} has the wrong signature type`);
    return verifier;
  });
}

/** Checks the checkpoint's signatures against the policy; returns it with the counted cosigners. */
export function verifyCheckpointNote(policy: TransparencyPolicy, note: string, nowMs: number): { checkpoint: Checkpoint; cosigners: string[] } {
  const [log] = verifiersOf([policy.logVkey], SIGNATURE_TYPE_ED25519, "log");
  const witnesses = verifiersOf(policy.witnessVkeys, SIGNATURE_TYPE_COSIGNATURE_V1, "witness");
  const required = verifiersOf(policy.requiredCosignerVkeys, SIGNATURE_TYPE_COSIGNATURE_V1, "cosigner");
  const { text, verified } = openNote(note, [log!, ...witnesses, ...required]);
  const signedBy = (v: NoteVerifier) => verified.find((s) => s.name === v.name && s.keyId === v.keyId);
  check(signedBy(log!) !== undefined, "signature_invalid", "checkpoint is not signed by the log");
  const checkpoint = parseCheckpoint(text);
  check(checkpoint.origin === policy.origin, "checkpoint_invalid", "checkpoint is from another log");
  check(checkpoint.size > 0, "checkpoint_invalid", "the log has no epoch yet");

  const witnessed = witnesses.map(signedBy).filter((s) => s !== undefined);
  check(witnessed.length >= policy.minWitnesses, "cosignatures_insufficient", `${witnessed.length} of ${policy.minWitnesses} witness cosignatures`);
  const missing = required.filter((v) => signedBy(v) === undefined);
  check(missing.length === 0, "cosignatures_insufficient", `not cosigned by ${missing.map((v) => v.name).join(", ")}`);

  const counted = [...witnessed, ...required.map(signedBy)].filter((s) => s !== undefined);
  const skew = policy.maxSkewSeconds ?? 60;
  const now = nowMs / 1000;
  for (const cosignature of counted) check(cosignature.timestamp! <= now + skew, "stale", `cosignature by ${cosignature.name} is from the future`);
  if (counted.length > 0) {
    const newest = Math.max(...counted.map((s) => s.timestamp!));
    check(now - newest <= policy.maxAgeSeconds, "stale", "the newest cosignature is too old");
  }
  return { checkpoint, cosigners: counted.map((s) => s.name) };
}

/** Verifies a search answer for a label's greatest version (see the module comment). */
export function verifySearch(policy: TransparencyPolicy, trusted: TrustedCheckpoint | null, answer: SearchAnswer, nowMs: number = Date.now()): VerifiedSearch {
  const { checkpoint, cosigners } = verifyCheckpointNote(policy, answer.checkpoint, nowMs);
  const { size, rootHash } = checkpoint;

  if (trusted) {
    check(size >= trusted.size, "rollback", `the log went back from ${trusted.size} to ${size} epochs`);
    verifyConsistency(trusted.size, size, trusted.rootHash, rootHash, answer.consistency);
  } else {
    check(answer.consistency.length === 0, "consistency_invalid", "no consistency proof is expected without a trusted checkpoint");
  }

  verifyInclusion(size - 1, size, logEntryLeafHash(answer.logEntry), answer.inclusion, rootHash);
  const skewMs = (policy.maxSkewSeconds ?? 60) * 1000;
  check(answer.logEntry.timestamp <= nowMs + skewMs, "stale", "the newest epoch is from the future");
  check(nowMs - answer.logEntry.timestamp <= policy.maxAgeSeconds * 1000, "stale", "the newest epoch is too old");

  verifyGreatestVersion({
    vrfPublicKey: policy.vrfPublicKey,
    label: answer.label,
    version: answer.version,
    commitment: commit(answer.opening, answer.label, answer.version, answer.value),
    ladder: answer.ladder,
    prefixProof: answer.prefixProof,
    prefixRoot: answer.logEntry.prefixRoot,
  });
  return { checkpoint, trusted: { size, rootHash }, version: answer.version, value: answer.value, cosigners };
}

/**
 * Verifies that `identityKey` is the published identity key of device `deviceId` of `userId` in
 * the newest epoch: the answer must be for that account's device-keys label.
 */
export function verifyIdentityKey(
  policy: TransparencyPolicy,
  trusted: TrustedCheckpoint | null,
  answer: SearchAnswer,
  served: { userId: string; deviceId: string; identityKey: Uint8Array },
  nowMs: number = Date.now(),
): VerifiedSearch & { devices: DeviceKey[] } {
  check(bytesEqual(answer.label, labels.deviceKeys(served.userId)), "key_mismatch", "the answer is for another label");
  const result = verifySearch(policy, trusted, answer, nowMs);
  check(result.value.length > 0, "key_mismatch", "the account's keys were withdrawn (tombstone)");
  const devices = decodeDeviceKeys(result.value);
  const device = devices.find((d) => d.deviceId === served.deviceId);
  check(device !== undefined, "key_mismatch", "the served device is not in the published key set");
  check(bytesEqual(device.identityKey, served.identityKey), "key_mismatch", "the served identity key is not the published one");
  return { ...result, devices };
}

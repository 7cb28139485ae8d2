/**
 * The draft's commitments (draft-ietf-keytrans-protocol, "Commitment"): each (label, version)
 * leaf of the prefix tree holds HMAC-SHA256(Kc, CommitmentValue) instead of the value, where the
 * random 16-byte opening makes the commitment reveal nothing about the value. Erasing the opening
 * later (account deletion) leaves a leaf that proves something was published without saying what.
 */
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { randomBytes } from "@noble/hashes/utils.js";
import { bytesEqual, concatBytes, hexToBytes, uintBE, utf8ToBytes, vector } from "./bytes";
import { check } from "./errors";

/** `Kc` of the KT_128_SHA256_Ed25519 suite. */
export const COMMITMENT_KEY = hexToBytes("d821f8790d97709796b4d7903357c3f5");
/** `Nc`: opening size in bytes. */
export const OPENING_BYTES = 16;
export const COMMITMENT_BYTES = 32;

export function newOpening(): Uint8Array {
  return randomBytes(OPENING_BYTES);
}

function labelBytes(label: Uint8Array | string): Uint8Array {
  const bytes = typeof label === "string" ? utf8ToBytes(label) : label;
  check(bytes.length <= 255, "malformed", "label is longer than 255 bytes");
  return bytes;
}

/**
 * `CommitmentValue { opening[Nc]; label<0..2^8-1>; uint32 version; UpdateValue update; }` where
 * `UpdateValue { value<0..2^32-1>; UpdateSuffix suffix; }` and the suffix is empty outside
 * third-party management, which Latchkey does not use.
 */
export function commitmentValue(opening: Uint8Array, label: Uint8Array | string, version: number, value: Uint8Array): Uint8Array {
  check(opening.length === OPENING_BYTES, "malformed", `opening must be ${OPENING_BYTES} bytes`);
  return concatBytes(opening, vector(labelBytes(label), 1), uintBE(version, 4), vector(value, 4));
}

export function commit(opening: Uint8Array, label: Uint8Array | string, version: number, value: Uint8Array): Uint8Array {
  return hmac(sha256, COMMITMENT_KEY, commitmentValue(opening, label, version, value));
}

/** Throws `commitment_invalid` unless (opening, label, version, value) opens the commitment. */
export function verifyOpening(commitment: Uint8Array, opening: Uint8Array, label: Uint8Array | string, version: number, value: Uint8Array): void {
  check(commitment.length === COMMITMENT_BYTES, "commitment_invalid", "commitment must be 32 bytes");
  check(opening.length === OPENING_BYTES, "commitment_invalid", `opening must be ${OPENING_BYTES} bytes`);
  check(bytesEqual(commit(opening, label, version, value), commitment), "commitment_invalid", "opening does not match the commitment");
}

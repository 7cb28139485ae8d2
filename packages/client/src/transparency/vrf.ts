/**
 * RFC 9381 ECVRF-EDWARDS25519-SHA512-TAI (suite 0x03) on @noble/curves' edwards25519.
 *
 * The log uses it to place each (label, version) in the prefix tree under an output that only the
 * log's VRF key can compute, so the tree reveals neither who is in it nor how many versions they
 * have, while anyone with the public key can check that the log put a label where it belongs.
 *
 * Decoding is strict everywhere (RFC 8032 §5.1.3: y < p, no "negative zero"), public keys of small
 * order are refused (the RFC's ECVRF_validate_key, which this module always runs), and a proof with
 * s ≥ L is refused, so one (key, input) pair has exactly one accepted proof encoding.
 */
import { ed25519 } from "@noble/curves/ed25519.js";
import { sha512 } from "@noble/hashes/sha2.js";
import { randomBytes } from "@noble/hashes/utils.js";
import { concatBytes, uintBE, utf8ToBytes, vector } from "./bytes";
import { check, TransparencyError } from "./errors";

const Point = ed25519.Point;
type EdPoint = InstanceType<typeof Point>;

const SUITE = 0x03;
const L = Point.Fn.ORDER;
const C_LEN = 16;
const Q_LEN = 32;
export const VRF_PROOF_BYTES = 32 + C_LEN + Q_LEN;
export const VRF_OUTPUT_BYTES = 64;

export interface VrfKeyPair {
  /** The 32-byte RFC 8032 secret key (seed). */
  secretKey: Uint8Array;
  /** The 32-byte encoded point x·B. */
  publicKey: Uint8Array;
}

function leToBigint(bytes: Uint8Array): bigint {
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i]!);
  return n;
}

function bigintToLe(n: bigint, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    out[i] = Number(n & 0xffn);
    n >>= 8n;
  }
  return out;
}

/** RFC 8032 §5.1.3 decoding, strict: a non-canonical or off-curve encoding is INVALID. */
function decodePoint(bytes: Uint8Array, what: string): EdPoint {
  check(bytes.length === 32, "vrf_invalid", `${what} must be 32 bytes`);
  try {
    return Point.fromBytes(bytes, false);
  } catch {
    throw new TransparencyError("vrf_invalid", `${what} is not a valid edwards25519 point`);
  }
}

/** ECVRF_validate_key (RFC 9381 §5.4.5): the public key decodes and is not of small order. */
function decodePublicKey(publicKey: Uint8Array): EdPoint {
  const Y = decodePoint(publicKey, "VRF public key");
  check(!Y.isSmallOrder(), "vrf_invalid", "VRF public key has small order");
  return Y;
}

/** ECVRF_encode_to_curve_try_and_increment (RFC 9381 §5.4.1.1), salted with the public key. */
function encodeToCurve(publicKey: Uint8Array, alpha: Uint8Array): EdPoint {
  for (let ctr = 0; ctr < 256; ctr++) {
    const hash = sha512(concatBytes(Uint8Array.of(SUITE, 0x01), publicKey, alpha, Uint8Array.of(ctr, 0x00)));
    let candidate: EdPoint;
    try {
      candidate = Point.fromBytes(hash.subarray(0, 32), false);
    } catch {
      continue;
    }
    return candidate.clearCofactor();
  }
  // Each try fails with probability about 1/2, so 256 failures do not happen for any real input.
  throw new TransparencyError("vrf_invalid", "encode_to_curve found no point");
}

/** ECVRF_challenge_generation (RFC 9381 §5.4.3): the first 16 bytes of the hash, little-endian. */
function challenge(points: EdPoint[]): bigint {
  const hash = sha512(concatBytes(Uint8Array.of(SUITE, 0x02), ...points.map((p) => p.toBytes()), Uint8Array.of(0x00)));
  return leToBigint(hash.subarray(0, C_LEN));
}

interface DecodedProof {
  gamma: EdPoint;
  c: bigint;
  s: bigint;
}

/** ECVRF_decode_proof (RFC 9381 §5.4.4), refusing s ≥ L so every proof has one encoding. */
function decodeProof(proof: Uint8Array): DecodedProof {
  check(proof.length === VRF_PROOF_BYTES, "vrf_invalid", `VRF proof must be ${VRF_PROOF_BYTES} bytes`);
  const gamma = decodePoint(proof.subarray(0, 32), "VRF proof Gamma");
  const c = leToBigint(proof.subarray(32, 32 + C_LEN));
  const s = leToBigint(proof.subarray(32 + C_LEN));
  check(s < L, "vrf_invalid", "VRF proof scalar s is not below the group order");
  return { gamma, c, s };
}

function gammaToHash(gamma: EdPoint): Uint8Array {
  return sha512(concatBytes(Uint8Array.of(SUITE, 0x03), gamma.clearCofactor().toBytes(), Uint8Array.of(0x00)));
}

/** A fresh key pair, or the one a given 32-byte secret key (seed) determines. */
export function vrfKeygen(secretKey: Uint8Array = randomBytes(32)): VrfKeyPair {
  check(secretKey.length === 32, "malformed", "VRF secret key must be 32 bytes");
  return { secretKey, publicKey: ed25519.utils.getExtendedPublicKey(secretKey).pointBytes };
}

/** ECVRF_prove (RFC 9381 §5.1): the 80-byte proof pi = Gamma || c || s. */
export function vrfProve(secretKey: Uint8Array, alpha: Uint8Array): Uint8Array {
  check(secretKey.length === 32, "malformed", "VRF secret key must be 32 bytes");
  const { scalar: x, prefix, point: Y, pointBytes } = ed25519.utils.getExtendedPublicKey(secretKey);
  const H = encodeToCurve(pointBytes, alpha);
  const gamma = H.multiply(x);
  // ECVRF_nonce_generation_RFC8032 (§5.4.2.2): SHA-512 of the key's second half and H.
  const k = leToBigint(sha512(concatBytes(prefix, H.toBytes()))) % L;
  const c = challenge([Y, H, gamma, Point.BASE.multiply(k), H.multiply(k)]);
  const s = (k + c * x) % L;
  return concatBytes(gamma.toBytes(), bigintToLe(c, C_LEN), bigintToLe(s, Q_LEN));
}

/** ECVRF_proof_to_hash (RFC 9381 §5.2): the 64-byte output beta. Does not verify the proof. */
export function vrfProofToHash(proof: Uint8Array): Uint8Array {
  return gammaToHash(decodeProof(proof).gamma);
}

/**
 * ECVRF_verify (RFC 9381 §5.3) with key validation: returns beta, or throws a TransparencyError
 * with code `vrf_invalid`.
 */
export function vrfVerify(publicKey: Uint8Array, alpha: Uint8Array, proof: Uint8Array): Uint8Array {
  const Y = decodePublicKey(publicKey);
  const { gamma, c, s } = decodeProof(proof);
  const H = encodeToCurve(publicKey, alpha);
  // Public values only, so the variable-time multiplications are fine here (and allow s = 0).
  const U = Point.BASE.multiplyUnsafe(s).subtract(Y.multiplyUnsafe(c));
  const V = H.multiplyUnsafe(s).subtract(gamma.multiplyUnsafe(c));
  check(challenge([Y, H, gamma, U, V]) === c, "vrf_invalid", "VRF proof does not verify");
  return gammaToHash(gamma);
}

/** Size of the prefix tree's search keys: the draft's Ed25519 suite truncates beta to 32 bytes. */
export const SEARCH_KEY_BYTES = 32;

/** The draft's `VrfInput { opaque label<0..2^8-1>; uint32 version; }`. */
export function vrfInput(label: Uint8Array | string, version: number): Uint8Array {
  const bytes = typeof label === "string" ? utf8ToBytes(label) : label;
  check(bytes.length <= 255, "malformed", "label is longer than 255 bytes");
  return concatBytes(vector(bytes, 1), uintBE(version, 4));
}

/** The prefix-tree search key of one output: the first 32 bytes of beta. */
export function searchKeyFromOutput(beta: Uint8Array): Uint8Array {
  check(beta.length === VRF_OUTPUT_BYTES, "malformed", "VRF output must be 64 bytes");
  return beta.slice(0, SEARCH_KEY_BYTES);
}

/** Verifies the VRF proof for (label, version) and returns the search key it proves. */
export function verifySearchKey(publicKey: Uint8Array, label: Uint8Array | string, version: number, proof: Uint8Array): Uint8Array {
  return searchKeyFromOutput(vrfVerify(publicKey, vrfInput(label, version), proof));
}

/** The log's side: the proof and search key for (label, version). */
export function proveSearchKey(secretKey: Uint8Array, label: Uint8Array | string, version: number): { proof: Uint8Array; searchKey: Uint8Array } {
  const proof = vrfProve(secretKey, vrfInput(label, version));
  return { proof, searchKey: searchKeyFromOutput(vrfProofToHash(proof)) };
}

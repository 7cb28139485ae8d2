import { createPublicKey, verify, type KeyObject } from "node:crypto";
import { ED25519_TORSION_SUBGROUP, ed25519 } from "@noble/curves/ed25519.js";
import { bytesToNumberLE, hexToBytes, numberToBytesLE } from "@noble/curves/utils.js";

// XEdDSA (https://signal.org/docs/specifications/xeddsa/) lets a client sign with its X25519
// identity key. A signature is an ordinary Ed25519 signature by the Edwards form of that key, so we
// rebuild the Edwards public key and let Node's own Ed25519 (OpenSSL) verify: about fifteen times
// faster than doing the curve arithmetic in JavaScript, which matters at ~100 signatures an upload.
//
// OpenSSL's check is RFC 8032's cofactorless one with s < L and R compared byte for byte (so no
// non-canonical R), which is at least as strict as @noble/curves' strict mode that this replaced,
// with one exception that is handled here: OpenSSL accepts small-order public keys. lib/keys/
// xeddsa.test.ts checks both against each other on libsignal's signatures and their mutations.

const DJB_KEY_TYPE = 0x05;
const IDENTITY_KEY_LENGTH = 33;
const SIGNATURE_LENGTH = 64;
const Fp = ed25519.Point.Fp;
/** DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410); the 32 key bytes follow. */
const ED25519_SPKI_PREFIX = Buffer.from("302a300506032b6570032100", "hex");
/** Edwards y of the eight points of small order (the sign of x does not change the order). */
const SMALL_ORDER_Y = new Set(ED25519_TORSION_SUBGROUP.map((hex) => bytesToNumberLE(hexToBytes(hex)) & ((1n << 255n) - 1n)));

type XEdDSAVerifier = (message: Uint8Array, signature: Uint8Array) => boolean;

const refuseAll: XEdDSAVerifier = () => false;

/**
 * A verifier of XEdDSA signatures by the serialized X25519 `identityKey`. The key is converted
 * once, so checking many signatures by one identity (an upload) costs one field inversion.
 */
export function xeddsaVerifier(identityKey: Uint8Array): XEdDSAVerifier {
  if (!(identityKey instanceof Uint8Array) || identityKey.length !== IDENTITY_KEY_LENGTH || identityKey[0] !== DJB_KEY_TYPE) {
    return refuseAll;
  }
  // Only canonical u (< p, top bit clear) is accepted: libsignal never makes another kind, and
  // two encodings of one key would let the directory hold "different" identities that are equal.
  const u = bytesToNumberLE(identityKey.subarray(1));
  if (u >= Fp.ORDER) return refuseAll;

  // The birational map from Montgomery u to Edwards y. u = −1 has no Edwards point (and Fp.inv
  // would throw on 0).
  const uPlusOne = Fp.add(u, Fp.ONE);
  if (Fp.is0(uPlusOne)) return refuseAll;
  const y = Fp.mul(Fp.sub(u, Fp.ONE), Fp.inv(uPlusOne));
  // A small-order key admits signatures that verify for many messages: never a real identity.
  if (SMALL_ORDER_Y.has(y)) return refuseAll;

  // u fixes the Edwards point only up to the sign of x; the signer stored that sign in the top
  // bit of the signature, which is otherwise always 0 because s < 2^253.
  const edwardsKeys = new Map<number, KeyObject>();
  const edwardsKey = (signBit: number) => {
    let key = edwardsKeys.get(signBit);
    if (!key) {
      const encoded = numberToBytesLE(y, 32);
      encoded[31]! |= signBit;
      key = createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, encoded]), format: "der", type: "spki" });
      edwardsKeys.set(signBit, key);
    }
    return key;
  };

  return (message, signature) => {
    try {
      if (!(message instanceof Uint8Array) || !(signature instanceof Uint8Array) || signature.length !== SIGNATURE_LENGTH) return false;
      const ed25519Signature = Uint8Array.from(signature);
      ed25519Signature[63]! &= 0x7f;
      return verify(null, message, edwardsKey(signature[63]! & 0x80), ed25519Signature);
    } catch {
      return false;
    }
  };
}

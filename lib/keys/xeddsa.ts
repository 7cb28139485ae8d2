import { ed25519 } from "@noble/curves/ed25519.js";
import { bytesToNumberLE, numberToBytesLE } from "@noble/curves/utils.js";

// XEdDSA (https://signal.org/docs/specifications/xeddsa/) lets a client sign with its X25519
// identity key. A signature is an ordinary Ed25519 signature by the Edwards form of that key, so we
// rebuild the Edwards public key and let @noble/curves do the verification.

const DJB_KEY_TYPE = 0x05;
const IDENTITY_KEY_LENGTH = 33;
const SIGNATURE_LENGTH = 64;
const Fp = ed25519.Point.Fp;

/** Whether `signature` is an XEdDSA signature of `message` by the serialized X25519 `identityKey`. */
export function verifyXEdDSA(identityKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  try {
    if (identityKey.length !== IDENTITY_KEY_LENGTH || identityKey[0] !== DJB_KEY_TYPE) return false;
    if (signature.length !== SIGNATURE_LENGTH) return false;

    // Only canonical u (< p, top bit clear) is accepted: libsignal never makes another kind, and
    // two encodings of one key would let the directory hold "different" identities that are equal.
    const u = bytesToNumberLE(identityKey.subarray(1));
    if (u >= Fp.ORDER) return false;

    // The birational map from Montgomery u to Edwards y. u = −1 has no Edwards point (and Fp.inv
    // would throw on 0), so it is refused here rather than in the catch below.
    const uPlusOne = Fp.add(u, Fp.ONE);
    if (Fp.is0(uPlusOne)) return false;
    const y = Fp.mul(Fp.sub(u, Fp.ONE), Fp.inv(uPlusOne));

    // u fixes the Edwards point only up to the sign of x; the signer stored that sign in the top
    // bit of the signature, which is otherwise always 0 because s < 2^253.
    const edwardsKey = numberToBytesLE(y, 32);
    const signBit = signature[63]! & 0x80;
    edwardsKey[31]! |= signBit;
    const ed25519Signature = Uint8Array.from(signature);
    ed25519Signature[63]! &= 0x7f;

    // Strict RFC 8032 decoding (not ZIP-215): non-canonical R or s and small-order keys are refused,
    // so one key and message admit no alternative encodings of a valid signature.
    return ed25519.verify(ed25519Signature, message, edwardsKey, { zip215: false });
  } catch {
    return false;
  }
}

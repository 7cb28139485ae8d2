import { describe, expect, it } from "vitest";
import { KEMKeyPair, PrivateKey, PublicKey } from "@signalapp/libsignal-client";
import { ed25519 } from "@noble/curves/ed25519.js";
import { bytesToNumberLE, numberToBytesLE } from "@noble/curves/utils.js";
import { verifyXEdDSA } from "./xeddsa";

const P = ed25519.Point.Fp.ORDER;
const L = ed25519.Point.Fn.ORDER;

function flipBit(bytes: Uint8Array<ArrayBuffer>, bit: number): Uint8Array<ArrayBuffer> {
  const copy = Uint8Array.from(bytes);
  copy[bit >> 3]! ^= 1 << (bit & 7);
  return copy;
}

function signedByFreshIdentity(message: Uint8Array<ArrayBuffer>) {
  const privateKey = PrivateKey.generate();
  return { identityKey: privateKey.getPublicKey().serialize(), message, signature: privateKey.sign(message) };
}

const kyberPublicKey = KEMKeyPair.generate().getPublicKey().serialize();
const ecPublicKey = PrivateKey.generate().getPublicKey().serialize();

describe("verifyXEdDSA", () => {
  it.each([
    ["an EC public key", ecPublicKey],
    ["a Kyber public key", kyberPublicKey],
    ["an empty message", new Uint8Array(0)],
  ])("accepts libsignal's signature over %s", (_, message) => {
    // XEdDSA signatures are randomized and half of all keys have a negative Edwards x, so several
    // identities exercise both values of the sign bit.
    for (let i = 0; i < 8; i++) {
      const { identityKey, signature } = signedByFreshIdentity(message);
      expect(verifyXEdDSA(identityKey, message, signature)).toBe(true);
    }
  });

  it("refuses any single flipped bit in the message, the signature or the key", () => {
    const { identityKey, message, signature } = signedByFreshIdentity(ecPublicKey);
    for (let bit = 0; bit < message.length * 8; bit += 7) {
      expect(verifyXEdDSA(identityKey, flipBit(message, bit), signature)).toBe(false);
    }
    for (let bit = 0; bit < 512; bit++) {
      expect(verifyXEdDSA(identityKey, message, flipBit(signature, bit))).toBe(false);
    }
    for (let bit = 0; bit < 33 * 8; bit++) {
      expect(verifyXEdDSA(flipBit(identityKey, bit), message, signature)).toBe(false);
    }
  });

  it("refuses a signature by another identity", () => {
    const { message, signature } = signedByFreshIdentity(kyberPublicKey);
    const otherIdentity = PrivateKey.generate().getPublicKey().serialize();
    expect(verifyXEdDSA(otherIdentity, message, signature)).toBe(false);
  });

  it("refuses s + L, which libsignal itself still accepts", () => {
    const { identityKey, message, signature } = signedByFreshIdentity(ecPublicKey);
    const signBit = signature[63]! & 0x80;
    const s = bytesToNumberLE(Uint8Array.from(signature.subarray(32), (byte, i) => (i === 31 ? byte & 0x7f : byte)));
    const malleated = Uint8Array.from(signature);
    malleated.set(numberToBytesLE(s + L, 32), 32);
    malleated[63]! |= signBit;

    expect(PublicKey.deserialize(identityKey).verify(message, malleated)).toBe(true);
    expect(verifyXEdDSA(identityKey, message, malleated)).toBe(false);
  });

  it("returns false, never throws, on malformed input", () => {
    const { identityKey, message, signature } = signedByFreshIdentity(ecPublicKey);
    const withU = (u: bigint) => Uint8Array.from([0x05, ...numberToBytesLE(u, 32)]);
    const cases: Array<[Uint8Array, Uint8Array, Uint8Array]> = [
      [identityKey.subarray(1), message, signature],
      [Uint8Array.from([...identityKey, 0]), message, signature],
      [Uint8Array.from([0x08, ...identityKey.subarray(1)]), message, signature],
      [identityKey, message, signature.subarray(0, 63)],
      [identityKey, message, Uint8Array.from([...signature, 0])],
      [new Uint8Array(0), new Uint8Array(0), new Uint8Array(0)],
      [withU(P - 1n), message, signature], // u = −1: no Edwards point, and u + 1 has no inverse
      [withU(P), message, signature], // u = 0 written non-canonically
      [withU(bytesToNumberLE(identityKey.subarray(1)) + P), message, signature], // same key, second spelling
      [withU(0n), message, signature], // a small-order point
      [identityKey, message, new Uint8Array(64)],
      [identityKey, message, new Uint8Array(64).fill(0xff)],
    ];
    for (const [key, msg, sig] of cases) {
      expect(verifyXEdDSA(key, msg, sig)).toBe(false);
    }
    expect(verifyXEdDSA(identityKey, "not bytes" as unknown as Uint8Array, signature)).toBe(false);
  });
});

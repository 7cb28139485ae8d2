import { describe, expect, it } from "vitest";
import { KEMKeyPair, PrivateKey, PublicKey } from "@signalapp/libsignal-client";
import { ED25519_TORSION_SUBGROUP, ed25519 } from "@noble/curves/ed25519.js";
import { bytesToNumberLE, hexToBytes, numberToBytesLE } from "@noble/curves/utils.js";
import { xeddsaVerifier } from "./xeddsa";

/** Whether `signature` is an XEdDSA signature of `message` by `identityKey`, as an upload checks it. */
const verifyXEdDSA = (identityKey: Uint8Array, message: Uint8Array, signature: Uint8Array) => xeddsaVerifier(identityKey)(message, signature);

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

/**
 * The check this module made before it moved to Node's Ed25519: @noble/curves in strict RFC 8032
 * mode (canonical encodings, s < L, small-order keys refused). Kept here as the reference that
 * the faster check must never be more lenient than.
 */
function nobleReference(identityKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  try {
    if (identityKey.length !== 33 || identityKey[0] !== 0x05 || signature.length !== 64) return false;
    const Fp = ed25519.Point.Fp;
    const u = bytesToNumberLE(identityKey.subarray(1));
    if (u >= P) return false;
    const y = Fp.mul(Fp.sub(u, Fp.ONE), Fp.inv(Fp.add(u, Fp.ONE)));
    const edwardsKey = numberToBytesLE(y, 32);
    edwardsKey[31]! |= signature[63]! & 0x80;
    const ed25519Signature = Uint8Array.from(signature);
    ed25519Signature[63]! &= 0x7f;
    return ed25519.verify(ed25519Signature, message, edwardsKey, { zip215: false });
  } catch {
    return false;
  }
}

describe("verifyXEdDSA against the @noble/curves strict check it replaced", () => {
  const Fp = ed25519.Point.Fp;
  // Montgomery u of every small-order Edwards point: u = (1 + y) / (1 − y), y = 1 has none.
  const smallOrderU = ED25519_TORSION_SUBGROUP.map((hex) => bytesToNumberLE(hexToBytes(hex)) & ((1n << 255n) - 1n))
    .filter((y) => y !== 1n)
    .map((y) => Fp.mul(Fp.add(Fp.ONE, y), Fp.inv(Fp.sub(Fp.ONE, y))));
  const withU = (u: bigint) => Uint8Array.from([0x05, ...numberToBytesLE(u, 32)]);
  const sOf = (signature: Uint8Array) => bytesToNumberLE(Uint8Array.from(signature.subarray(32), (byte, i) => (i === 31 ? byte & 0x7f : byte)));
  const withS = (signature: Uint8Array, s: bigint) => {
    const copy = Uint8Array.from(signature);
    copy.set(numberToBytesLE(s, 32), 32);
    copy[63]! |= signature[63]! & 0x80;
    return copy;
  };
  const withR = (signature: Uint8Array, r: Uint8Array) => Uint8Array.from([...r, ...signature.subarray(32)]);

  function corpus() {
    const cases: Array<{ name: string; key: Uint8Array; message: Uint8Array; signature: Uint8Array; valid?: true }> = [];
    for (let i = 0; i < 24; i++) {
      const message = i % 2 === 0 ? kyberPublicKey : ecPublicKey;
      const { identityKey, signature } = signedByFreshIdentity(message);
      cases.push({ name: `libsignal #${i}`, key: identityKey, message, signature, valid: true });
      for (let bit = i % 8; bit < 512; bit += 8) cases.push({ name: `#${i} signature bit ${bit}`, key: identityKey, message, signature: flipBit(signature, bit) });
      for (let bit = i % 5; bit < 264; bit += 5) cases.push({ name: `#${i} key bit ${bit}`, key: flipBit(identityKey, bit), message, signature });
      const s = sOf(signature);
      for (const [name, value] of [["s + L", s + L], ["s + 2L", s + 2n * L], ["s − L", s - L], ["L", L], ["0", 0n]] as const) {
        if (value >= 0n && value < 1n << 255n) cases.push({ name: `#${i} ${name}`, key: identityKey, message, signature: withS(signature, value) });
      }
      for (const hex of ED25519_TORSION_SUBGROUP) cases.push({ name: `#${i} R = torsion ${hex.slice(0, 8)}`, key: identityKey, message, signature: withR(signature, hexToBytes(hex)) });
      const rY = bytesToNumberLE(Uint8Array.from(signature.subarray(0, 32), (byte, j) => (j === 31 ? byte & 0x7f : byte)));
      if (rY < 19n) cases.push({ name: `#${i} R non-canonical`, key: identityKey, message, signature: withR(signature, numberToBytesLE(rY + P, 32)) });
      for (const u of smallOrderU) {
        cases.push({ name: `#${i} small-order key u=${u}`, key: withU(u), message, signature });
        cases.push({ name: `#${i} small-order key, s = 0, R = identity`, key: withU(u), message, signature: new Uint8Array(64).fill(0).map((_, j) => (j === 0 ? 1 : 0)) });
      }
    }
    return cases;
  }

  it("accepts exactly what the reference accepts, on libsignal's signatures and on every kind of tampering", () => {
    const cases = corpus();
    expect(cases.length).toBeGreaterThan(3000);
    const disagreements = cases.filter((c) => verifyXEdDSA(c.key, c.message, c.signature) !== nobleReference(c.key, c.message, c.signature));
    expect(disagreements.map((c) => c.name)).toEqual([]);
    for (const c of cases.filter((c) => c.valid)) expect(verifyXEdDSA(c.key, c.message, c.signature)).toBe(true);
    expect(cases.filter((c) => !c.valid && verifyXEdDSA(c.key, c.message, c.signature))).toEqual([]);
  });

  it("refuses every small-order identity key, whatever the signature", () => {
    expect(smallOrderU).toHaveLength(7);
    for (const u of smallOrderU) {
      const key = withU(u);
      for (const hex of ED25519_TORSION_SUBGROUP) {
        const signature = Uint8Array.from([...hexToBytes(hex), ...new Uint8Array(32)]);
        expect(verifyXEdDSA(key, ecPublicKey, signature)).toBe(false);
        expect(verifyXEdDSA(key, ecPublicKey, Uint8Array.from(signature, (byte, j) => (j === 63 ? byte | 0x80 : byte)))).toBe(false);
      }
    }
  });
});

import { ed25519 } from "@noble/curves/ed25519.js";
import { describe, expect, it } from "vitest";
import { bytesToHex, concatBytes, hexToBytes, utf8ToBytes } from "./bytes";
import { TransparencyError } from "./errors";
import { proveSearchKey, verifySearchKey, vrfInput, vrfKeygen, vrfProofToHash, vrfProve, vrfVerify } from "./vrf";

const Point = ed25519.Point;
const L = Point.Fn.ORDER;
const P = Point.Fp.ORDER;

// RFC 9381 Appendix B.3, examples 16–18 (ECVRF-EDWARDS25519-SHA512-TAI).
const EXAMPLES = [
  {
    name: "example 16",
    sk: "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
    pk: "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
    alpha: "",
    pi: "8657106690b5526245a92b003bb079ccd1a92130477671f6fc01ad16f26f723f26f8a57ccaed74ee1b190bed1f479d9727d2d0f9b005a6e456a35d4fb0daab1268a1b0db10836d9826a528ca76567805",
    beta: "90cf1df3b703cce59e2a35b925d411164068269d7b2d29f3301c03dd757876ff66b71dda49d2de59d03450451af026798e8f81cd2e333de5cdf4f3e140fdd8ae",
  },
  {
    name: "example 17",
    sk: "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
    pk: "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
    alpha: "72",
    pi: "f3141cd382dc42909d19ec5110469e4feae18300e94f304590abdced48aed5933bf0864a62558b3ed7f2fea45c92a465301b3bbf5e3e54ddf2d935be3b67926da3ef39226bbc355bdc9850112c8f4b02",
    beta: "eb4440665d3891d668e7e0fcaf587f1b4bd7fbfe99d0eb2211ccec90496310eb5e33821bc613efb94db5e5b54c70a848a0bef4553a41befc57663b56373a5031",
  },
  {
    name: "example 18",
    sk: "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
    pk: "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
    alpha: "af82",
    pi: "9bc0f79119cc5604bf02d23b4caede71393cedfbb191434dd016d30177ccbf8096bb474e53895c362d8628ee9f9ea3c0e52c7a5c691b6c18c9979866568add7a2d41b00b05081ed0f58ee5e31b3a970e",
    beta: "645427e5d00c62a23fb703732fa5d892940935942101e456ecca7bb217c61c452118fec1219202a0edcf038bb6373241578be7217ba85a2687f7a0310b2df19f",
  },
];

// The eight points of small order, canonically encoded.
const SMALL_ORDER = [
  "0100000000000000000000000000000000000000000000000000000000000000",
  "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
  "0000000000000000000000000000000000000000000000000000000000000000",
  "0000000000000000000000000000000000000000000000000000000000000080",
  "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
  "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",
  "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
  "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",
];

function le(n: bigint, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    out[i] = Number(n & 0xffn);
    n >>= 8n;
  }
  return out;
}

function fromLe(bytes: Uint8Array): bigint {
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i]!);
  return n;
}

function expectVrfInvalid(run: () => unknown) {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(TransparencyError);
    expect((error as TransparencyError).code).toBe("vrf_invalid");
    return;
  }
  throw new Error("expected the VRF check to fail");
}

/** Encodings y + p of points whose y is below 19: the only non-canonical spellings of real points. */
function nonCanonicalEncodings(): Uint8Array[] {
  const found: Uint8Array[] = [];
  for (let y = 0n; y < 19n; y++) {
    for (const sign of [0n, 1n]) {
      const canonical = le(y | (sign << 255n), 32);
      try {
        Point.fromBytes(canonical, false);
      } catch {
        continue;
      }
      found.push(le((y + P) | (sign << 255n), 32));
    }
  }
  return found;
}

describe("RFC 9381 ECVRF-EDWARDS25519-SHA512-TAI", () => {
  for (const example of EXAMPLES) {
    it(`reproduces ${example.name} exactly`, () => {
      const sk = hexToBytes(example.sk);
      const alpha = hexToBytes(example.alpha);
      expect(bytesToHex(vrfKeygen(sk).publicKey)).toBe(example.pk);
      expect(bytesToHex(vrfProve(sk, alpha))).toBe(example.pi);
      expect(bytesToHex(vrfProofToHash(hexToBytes(example.pi)))).toBe(example.beta);
      expect(bytesToHex(vrfVerify(hexToBytes(example.pk), alpha, hexToBytes(example.pi)))).toBe(example.beta);
    });
  }

  it("refuses every single-bit change of a proof (Gamma, c and s)", () => {
    const ex = EXAMPLES[0]!;
    const pk = hexToBytes(ex.pk);
    const pi = hexToBytes(ex.pi);
    for (let bit = 0; bit < pi.length * 8; bit++) {
      const mutated = pi.slice();
      mutated[bit >> 3]! ^= 1 << (bit & 7);
      expectVrfInvalid(() => vrfVerify(pk, new Uint8Array(), mutated));
    }
  });

  it("refuses s + L, which would pass the group equations (malleability)", () => {
    for (const ex of EXAMPLES) {
      const pi = hexToBytes(ex.pi);
      const s = fromLe(pi.subarray(48));
      const malleated = concatBytes(pi.subarray(0, 48), le(s + L, 32));
      expectVrfInvalid(() => vrfVerify(hexToBytes(ex.pk), hexToBytes(ex.alpha), malleated));
      expectVrfInvalid(() => vrfProofToHash(malleated));
      expectVrfInvalid(() => vrfVerify(hexToBytes(ex.pk), hexToBytes(ex.alpha), concatBytes(pi.subarray(0, 48), le(L, 32))));
    }
  });

  it("refuses Gamma moved by a small-order point, though its hash would be the same", () => {
    const ex = EXAMPLES[1]!;
    const pi = hexToBytes(ex.pi);
    const gamma = Point.fromBytes(pi.subarray(0, 32));
    for (const torsion of SMALL_ORDER.slice(1)) {
      const moved = concatBytes(gamma.add(Point.fromBytes(hexToBytes(torsion))).toBytes(), pi.subarray(32));
      expect(bytesToHex(vrfProofToHash(moved))).toBe(ex.beta);
      expectVrfInvalid(() => vrfVerify(hexToBytes(ex.pk), hexToBytes(ex.alpha), moved));
    }
  });

  it("refuses small-order public keys", () => {
    for (const hex of SMALL_ORDER) {
      expect(Point.fromBytes(hexToBytes(hex)).isSmallOrder()).toBe(true);
      expectVrfInvalid(() => vrfVerify(hexToBytes(hex), new Uint8Array(), hexToBytes(EXAMPLES[0]!.pi)));
    }
  });

  it("refuses non-canonical encodings of points, as public key and as Gamma", () => {
    const encodings = nonCanonicalEncodings();
    // y = 1 with the sign bit set is "negative zero": x = 0 cannot be negative.
    encodings.push(le(1n | (1n << 255n), 32));
    expect(encodings.length).toBeGreaterThan(2);
    const ex = EXAMPLES[0]!;
    const pi = hexToBytes(ex.pi);
    for (const encoding of encodings) {
      expectVrfInvalid(() => vrfVerify(encoding, new Uint8Array(), pi));
      expectVrfInvalid(() => vrfVerify(hexToBytes(ex.pk), new Uint8Array(), concatBytes(encoding, pi.subarray(32))));
      expectVrfInvalid(() => vrfProofToHash(concatBytes(encoding, pi.subarray(32))));
    }
  });

  it("refuses points that are not on the curve and proofs of the wrong length", () => {
    const ex = EXAMPLES[0]!;
    const pi = hexToBytes(ex.pi);
    // y = 2 has no x on edwards25519.
    const offCurve = le(2n, 32);
    expect(() => Point.fromBytes(offCurve)).toThrow();
    expectVrfInvalid(() => vrfVerify(offCurve, new Uint8Array(), pi));
    expectVrfInvalid(() => vrfVerify(hexToBytes(ex.pk), new Uint8Array(), concatBytes(offCurve, pi.subarray(32))));
    expectVrfInvalid(() => vrfVerify(hexToBytes(ex.pk), new Uint8Array(), pi.subarray(0, 79)));
    expectVrfInvalid(() => vrfVerify(hexToBytes(ex.pk), new Uint8Array(), concatBytes(pi, Uint8Array.of(0))));
    expectVrfInvalid(() => vrfVerify(hexToBytes(ex.pk).subarray(0, 31), new Uint8Array(), pi));
  });

  it("binds the proof to the input and to the key", () => {
    const ex = EXAMPLES[1]!;
    const pi = hexToBytes(ex.pi);
    expectVrfInvalid(() => vrfVerify(hexToBytes(ex.pk), hexToBytes("73"), pi));
    expectVrfInvalid(() => vrfVerify(hexToBytes(ex.pk), new Uint8Array(), pi));
    expectVrfInvalid(() => vrfVerify(hexToBytes(EXAMPLES[2]!.pk), hexToBytes(ex.alpha), pi));
  });

  it("round-trips fresh keys and gives one output per (key, input)", () => {
    const { secretKey, publicKey } = vrfKeygen();
    const other = vrfKeygen();
    const alpha = utf8ToBytes("user:8c3f0b0e-7e0a-4c3f-9f7e-1a2b3c4d5e6f");
    const proof = vrfProve(secretKey, alpha);
    const beta = vrfVerify(publicKey, alpha, proof);
    expect(beta).toEqual(vrfProofToHash(proof));
    expect(vrfProve(secretKey, alpha)).toEqual(proof);
    expect(vrfProofToHash(vrfProve(other.secretKey, alpha))).not.toEqual(beta);
    expectVrfInvalid(() => vrfVerify(other.publicKey, alpha, proof));
  });
});

describe("search keys (draft-ietf-keytrans-protocol §VRF)", () => {
  it("encodes VrfInput as label<0..255> then uint32 version", () => {
    expect(bytesToHex(vrfInput("ab", 7))).toBe("02616200000007");
    expect(bytesToHex(vrfInput(new Uint8Array(), 0xffffffff))).toBe("00ffffffff");
    expect(() => vrfInput(new Uint8Array(256), 0)).toThrow(TransparencyError);
    expect(() => vrfInput("a", 2 ** 32)).toThrow(TransparencyError);
  });

  it("truncates beta to 32 bytes and ties it to label and version", () => {
    const { secretKey, publicKey } = vrfKeygen();
    const { proof, searchKey } = proveSearchKey(secretKey, "user:alice", 3);
    expect(searchKey).toHaveLength(32);
    expect(verifySearchKey(publicKey, "user:alice", 3, proof)).toEqual(searchKey);
    expectVrfInvalid(() => verifySearchKey(publicKey, "user:alice", 4, proof));
    expectVrfInvalid(() => verifySearchKey(publicKey, "user:alicf", 3, proof));
  });
});

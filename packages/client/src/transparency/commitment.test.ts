import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { bytesToHex, hexToBytes, utf8ToBytes } from "./bytes";
import { commit, COMMITMENT_KEY, commitmentValue, newOpening, verifyOpening } from "./commitment";
import { TransparencyError } from "./errors";

const opening = hexToBytes("000102030405060708090a0b0c0d0e0f");
const value = utf8ToBytes("devices:v1");

describe("commitments (draft-ietf-keytrans-protocol, Commitment)", () => {
  it("encodes CommitmentValue as opening, label<0..255>, uint32 version, value<0..2^32-1>", () => {
    expect(bytesToHex(commitmentValue(opening, "ab", 258, utf8ToBytes("xyz")))).toBe(
      "000102030405060708090a0b0c0d0e0f" + "02" + "6162" + "00000102" + "00000003" + "78797a",
    );
    expect(bytesToHex(COMMITMENT_KEY)).toBe("d821f8790d97709796b4d7903357c3f5");
  });

  it("is HMAC-SHA256 under Kc, as an independent HMAC computes it", () => {
    const expected = createHmac("sha256", Buffer.from(COMMITMENT_KEY)).update(commitmentValue(opening, "user:alice", 7, value)).digest("hex");
    expect(bytesToHex(commit(opening, "user:alice", 7, value))).toBe(expected);
  });

  it("opens only with the exact opening, label, version and value", () => {
    const commitment = commit(opening, "user:alice", 7, value);
    verifyOpening(commitment, opening, "user:alice", 7, value);
    const wrong = [
      () => verifyOpening(commitment, newOpening(), "user:alice", 7, value),
      () => verifyOpening(commitment, opening, "user:alicf", 7, value),
      () => verifyOpening(commitment, opening, "user:alice", 8, value),
      () => verifyOpening(commitment, opening, "user:alice", 7, utf8ToBytes("devices:v2")),
      () => verifyOpening(commitment.slice(0, 31), opening, "user:alice", 7, value),
      () => verifyOpening(commitment, opening.slice(0, 15), "user:alice", 7, value),
    ];
    for (const attempt of wrong) {
      expect(attempt).toThrow(TransparencyError);
      try {
        attempt();
      } catch (error) {
        expect((error as TransparencyError).code).toBe("commitment_invalid");
      }
    }
    for (let bit = 0; bit < 256; bit++) {
      const flipped = commitment.slice();
      flipped[bit >> 3]! ^= 1 << (bit & 7);
      expect(() => verifyOpening(flipped, opening, "user:alice", 7, value)).toThrow(TransparencyError);
    }
  });

  it("hides the value behind a fresh random opening", () => {
    expect(newOpening()).toHaveLength(16);
    expect(commit(newOpening(), "l", 0, value)).not.toEqual(commit(newOpening(), "l", 0, value));
    expect(() => commitmentValue(opening, new Uint8Array(256), 0, value)).toThrow(TransparencyError);
  });
});

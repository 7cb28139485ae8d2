import { describe, expect, it } from "vitest";
import { bytesToHex, concatBytes, hexToBytes } from "./bytes";
import { TransparencyError } from "./errors";
import { decodeDeviceKeys, decodeLogEntry, encodeDeviceKeys, encodeLogEntry, labels, logEntryLeafHash } from "./log-entry";
import { leafHash } from "./merkle";

const A = "00000000-0000-4000-8000-00000000000a";
const B = "00000000-0000-4000-8000-00000000000b";

describe("log entries", () => {
  it("encode the draft's LogEntry: uint64 milliseconds, then the prefix root", () => {
    const entry = { timestamp: 1_765_108_800_123, prefixRoot: new Uint8Array(32).fill(7) };
    const bytes = encodeLogEntry(entry);
    expect(bytesToHex(bytes.subarray(0, 8))).toBe("0000019af8aeda7b");
    expect(decodeLogEntry(bytes)).toEqual(entry);
    expect(logEntryLeafHash(entry)).toEqual(leafHash(bytes));
    expect(() => decodeLogEntry(bytes.subarray(1))).toThrow(TransparencyError);
    expect(() => encodeLogEntry({ ...entry, prefixRoot: new Uint8Array(31) })).toThrow(TransparencyError);
  });
});

describe("labels and values", () => {
  it("names labels by kind and normalised key", () => {
    expect(new TextDecoder().decode(labels.deviceKeys(A))).toBe(`keys:${A}`);
    expect(new TextDecoder().decode(labels.username("bob"))).toBe("username:bob");
    expect(new TextDecoder().decode(labels.phone("+447700900123"))).toBe("phone:+447700900123");
    expect(() => labels.deviceKeys(A.toUpperCase())).toThrow(TransparencyError);
  });

  it("encodes a device-key set one way whatever the order, and decodes only that encoding", () => {
    const keyA = Uint8Array.of(5, 1, 2);
    const keyB = Uint8Array.of(5, 3);
    const value = encodeDeviceKeys([
      { deviceId: B, identityKey: keyB },
      { deviceId: A, identityKey: keyA },
    ]);
    expect(value).toEqual(encodeDeviceKeys([{ deviceId: A, identityKey: keyA }, { deviceId: B, identityKey: keyB }]));
    expect(bytesToHex(value)).toBe(`0002${A.replaceAll("-", "")}03050102${B.replaceAll("-", "")}020503`);
    expect(decodeDeviceKeys(value)).toEqual([{ deviceId: A, identityKey: keyA }, { deviceId: B, identityKey: keyB }]);
    expect(decodeDeviceKeys(encodeDeviceKeys([]))).toEqual([]);
    // Unsorted, duplicated, truncated or padded encodings are refused.
    const unsorted = concatBytes(hexToBytes("0002"), value.subarray(2 + 20), value.subarray(2, 2 + 20));
    for (const bad of [unsorted, value.subarray(0, -1), concatBytes(value, Uint8Array.of(0)), new Uint8Array(1)]) {
      expect(() => decodeDeviceKeys(bad)).toThrow(TransparencyError);
    }
    expect(() => encodeDeviceKeys([{ deviceId: A, identityKey: keyA }, { deviceId: A, identityKey: keyB }])).toThrow(TransparencyError);
  });
});

/**
 * What the epoch log and the prefix tree hold for Latchkey: log entries (one per epoch), labels
 * and values. The encodings are the draft's TLS structures where it has one, so a later move to
 * the full protocol changes framing, not data.
 */
import { bytesToHex, concatBytes, hexToBytes, uintBE, utf8ToBytes, vector } from "./bytes";
import { check } from "./errors";
import { leafHash } from "./merkle";

/** The draft's `LogEntry { uint64 timestamp; opaque prefix_tree[32]; }`, timestamp in ms. */
export interface LogEntry {
  timestamp: number;
  prefixRoot: Uint8Array;
}

export const LOG_ENTRY_BYTES = 8 + 32;

export function encodeLogEntry(entry: LogEntry): Uint8Array {
  check(Number.isSafeInteger(entry.timestamp) && entry.timestamp >= 0, "malformed", "timestamp must be a non-negative integer");
  check(entry.prefixRoot.length === 32, "malformed", "prefix root must be 32 bytes");
  return concatBytes(uintBE(entry.timestamp, 8), entry.prefixRoot);
}

export function decodeLogEntry(bytes: Uint8Array): LogEntry {
  check(bytes.length === LOG_ENTRY_BYTES, "malformed", `a log entry is ${LOG_ENTRY_BYTES} bytes`);
  let timestamp = 0;
  for (const byte of bytes.subarray(0, 8)) timestamp = timestamp * 256 + byte;
  check(Number.isSafeInteger(timestamp), "malformed", "timestamp is too large");
  return { timestamp, prefixRoot: bytes.slice(8) };
}

/** The RFC 6962 leaf hash of an epoch's entry: what the checkpoint's tree commits to. */
export function logEntryLeafHash(entry: LogEntry): Uint8Array {
  return leafHash(encodeLogEntry(entry));
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function uuidBytes(id: string): Uint8Array {
  check(UUID.test(id), "malformed", "not a lower-case UUID");
  return hexToBytes(id.replaceAll("-", ""));
}

function uuidString(bytes: Uint8Array): string {
  const hex = bytesToHex(bytes);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Labels: a kind and the account's id or its normalised lookup key, as UTF-8. */
export const labels = {
  deviceKeys: (userId: string) => utf8ToBytes(`keys:${uuidString(uuidBytes(userId))}`),
  username: (normalisedUsername: string) => utf8ToBytes(`username:${normalisedUsername}`),
  phone: (e164: string) => utf8ToBytes(`phone:${e164}`),
};

/** The empty value: the label was deleted or its discovery turned off (a tombstone). */
export const TOMBSTONE: Uint8Array = new Uint8Array();

export interface DeviceKey {
  deviceId: string;
  /** libsignal's 33-byte serialized identity key. */
  identityKey: Uint8Array;
}

/**
 * `struct { opaque device_id[16]; opaque identity_key<0..255>; } DeviceKey;
 *  DeviceKey devices<0..2^16-1>;` sorted by device id, each device once: one byte string per set.
 */
export function encodeDeviceKeys(devices: readonly DeviceKey[]): Uint8Array {
  check(devices.length < 2 ** 16, "malformed", "too many devices");
  const sorted = devices.map((d) => ({ id: uuidBytes(d.deviceId), key: d.identityKey })).sort((a, b) => (bytesToHex(a.id) < bytesToHex(b.id) ? -1 : 1));
  for (let i = 1; i < sorted.length; i++) check(bytesToHex(sorted[i - 1]!.id) !== bytesToHex(sorted[i]!.id), "malformed", "a device appears twice");
  return concatBytes(uintBE(sorted.length, 2), ...sorted.map((d) => concatBytes(d.id, vector(d.key, 1))));
}

/** Decodes a device-key value, refusing any encoding encodeDeviceKeys would not produce. */
export function decodeDeviceKeys(value: Uint8Array): DeviceKey[] {
  check(value.length >= 2, "malformed", "device-key value is too short");
  const count = (value[0]! << 8) | value[1]!;
  const devices: DeviceKey[] = [];
  let at = 2;
  for (let i = 0; i < count; i++) {
    check(at + 17 <= value.length, "malformed", "device-key value is truncated");
    const id = value.slice(at, at + 16);
    const length = value[at + 16]!;
    check(at + 17 + length <= value.length, "malformed", "device-key value is truncated");
    devices.push({ deviceId: uuidString(id), identityKey: value.slice(at + 17, at + 17 + length) });
    at += 17 + length;
  }
  check(at === value.length, "malformed", "device-key value has trailing bytes");
  check(bytesToHex(encodeDeviceKeys(devices)) === bytesToHex(value), "malformed", "device-key value is not canonical");
  return devices;
}

/** Byte helpers shared by the transparency modules: plain Uint8Array, no Node Buffer. */
import { check } from "./errors";

export { bytesToHex, concatBytes, hexToBytes, utf8ToBytes } from "@noble/hashes/utils.js";

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/** Big-endian unsigned integer of `width` bytes (TLS presentation language's uintN). */
export function uintBE(value: number | bigint, width: 1 | 2 | 4 | 8): Uint8Array {
  let v = BigInt(value);
  check(v >= 0n && v < 1n << BigInt(width * 8), "malformed", `integer ${value} does not fit in ${width} bytes`);
  const out = new Uint8Array(width);
  for (let i = width - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

/** TLS `opaque x<0..2^(8*width)-1>`: a length prefix of `width` bytes, then the bytes. */
export function vector(data: Uint8Array, width: 1 | 2 | 4): Uint8Array {
  const out = new Uint8Array(width + data.length);
  out.set(uintBE(data.length, width), 0);
  out.set(data, width);
  return out;
}

export function bytesToBase64(data: Uint8Array): string {
  let binary = "";
  for (const byte of data) binary += String.fromCharCode(byte);
  return btoa(binary);
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Standard, padded base64 (RFC 4648 §4) and only its canonical form: a string with non-zero
 * padding bits would give two spellings of one signature or hash, which signed text must not have.
 */
export function base64ToBytes(text: string): Uint8Array {
  check(BASE64.test(text), "malformed", "not canonical base64");
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  check(bytesToBase64(out) === text, "malformed", "not canonical base64");
  return out;
}

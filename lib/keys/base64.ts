// The client API speaks standard base64 (RFC 4648 §4). Node's decoder silently skips characters
// outside the alphabet and accepts the URL-safe one, so a decoded value is accepted only when it
// encodes back to exactly the text that was sent.

/** Standard alphabet, padding optional; no whitespace, no URL-safe characters (documentation and messages). */
export const BASE64_PATTERN = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}(?:==)?|[A-Za-z0-9+/]{3}=?)?$/;

export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
}

/**
 * The bytes of a standard base64 string (padding optional), or null when it is not one. Comparing
 * the text with the canonical encoding of what it decodes to refuses every character outside the
 * alphabet, misplaced or extra padding, and unused low bits that are not zero (so each byte string
 * has exactly one spelling, with or without padding, and a key cannot be smuggled in under two
 * names). Native code only: an upload checks 400 such values, and a regular expression over its
 * 2 KB Kyber keys cost more than the decoding (issue 12).
 */
export function decodeBase64(text: string): Uint8Array<ArrayBuffer> | null {
  const decoded = Buffer.from(text, "base64");
  const padded = decoded.toString("base64");
  const padding = padded.endsWith("==") ? 2 : padded.endsWith("=") ? 1 : 0;
  if (text !== padded && text !== padded.slice(0, padded.length - padding)) return null;
  return Uint8Array.from(decoded);
}

// The client API speaks standard base64 (RFC 4648 §4). Node's decoder silently skips characters
// outside the alphabet and accepts the URL-safe one, so input is checked before it is decoded.

/** Standard alphabet, padding optional; no whitespace, no URL-safe characters. */
export const BASE64_PATTERN = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}(?:==)?|[A-Za-z0-9+/]{3}=?)?$/;

export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
}

/** The bytes of a standard base64 string (padding optional), or null when it is not one. */
export function decodeBase64(text: string): Uint8Array<ArrayBuffer> | null {
  if (!BASE64_PATTERN.test(text)) return null;
  const bytes = Uint8Array.from(Buffer.from(text, "base64"));
  // Unused low bits of the last character must be zero, so each byte string has exactly one
  // spelling (with or without padding) and a key cannot be smuggled in under two names.
  return encodeBase64(bytes).replace(/=+$/, "") === text.replace(/=+$/, "") ? bytes : null;
}

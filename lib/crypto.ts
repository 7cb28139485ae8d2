import { createHash, createHmac, hkdfSync, randomBytes, randomInt, timingSafeEqual } from "node:crypto";
import { authSecret } from "./env";

/** 32 random bytes, base64url: session tokens, link tokens, sign-in tickets, browser device keys. */
export function randomToken(): string {
  return randomBytes(32).toString("base64url");
}

/** What is stored for a token: its SHA-256 (the token itself has 256 bits of entropy, so no salt). */
export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** A 6-digit one-time code from the CSPRNG, zero-padded. */
export function randomCode(): string {
  return randomInt(0, 1_000_000).toString().padStart(6, "0");
}

// Six digits are only a million guesses: a plain hash would fall to a table, so codes are keyed
// with a subkey of the server secret.
let codeKey: Buffer | undefined;
function codeHmacKey(): Buffer {
  codeKey ??= Buffer.from(hkdfSync("sha256", authSecret(), "latchkey", "one-time-code-hmac", 32));
  return codeKey;
}

/** HMAC-SHA256 of a code, bound to where it was sent and what it is for. */
export function hashCode(code: string, destination: string, purpose: string): string {
  return createHmac("sha256", codeHmacKey()).update(`${purpose}\0${destination}\0${code}`).digest("hex");
}

/** Constant-time comparison of two hex digests (or any equal-format strings). */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, "utf8");
  const right = Buffer.from(b, "utf8");
  return left.length === right.length && timingSafeEqual(left, right);
}

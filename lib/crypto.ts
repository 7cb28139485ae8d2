import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes, randomInt, timingSafeEqual } from "node:crypto";
import { authSecret, env } from "./env";

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

// Authenticator secrets must be readable again (to check codes), so they are encrypted, not hashed:
// AES-256-GCM under TWO_STEP_KEY or a subkey of the server secret, with the owner's id as
// associated data, so a ciphertext copied to another account's row does not open (ADR 0070).
let secretKey: Buffer | undefined;
function secretEncryptionKey(): Buffer {
  secretKey ??= Buffer.from(hkdfSync("sha256", env().TWO_STEP_KEY ?? authSecret(), "latchkey", "two-step-secret-aes-gcm", 32));
  return secretKey;
}

const SEALED_VERSION = "v1";

/** `v1.<iv>.<tag>.<ciphertext>` (base64url) of `plaintext`, bound to `owner`. */
export function sealSecret(plaintext: string, owner: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", secretEncryptionKey(), iv).setAAD(Buffer.from(owner, "utf8"));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [SEALED_VERSION, iv, cipher.getAuthTag(), ciphertext].map((part) => (typeof part === "string" ? part : part.toString("base64url"))).join(".");
}

/** The plaintext of a sealSecret value; throws when it was sealed for another owner, under another key, or altered. */
export function openSecret(sealed: string, owner: string): string {
  const [version, iv, tag, ciphertext] = sealed.split(".");
  if (version !== SEALED_VERSION || !iv || !tag || ciphertext === undefined) throw new Error("not a sealed secret");
  const decipher = createDecipheriv("aes-256-gcm", secretEncryptionKey(), Buffer.from(iv, "base64url"))
    .setAAD(Buffer.from(owner, "utf8"))
    .setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
}

// Recovery codes carry 60 bits: far beyond online guessing, but keyed like codes all the same, so a
// copy of the table alone cannot be searched offline.
let recoveryKey: Buffer | undefined;

/** HMAC-SHA256 of a (normalised) recovery code under a subkey of the server secret. */
export function hashRecoveryCode(code: string): string {
  recoveryKey ??= Buffer.from(hkdfSync("sha256", authSecret(), "latchkey", "recovery-code-hmac", 32));
  return createHmac("sha256", recoveryKey).update(code).digest("hex");
}

const RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";

/** A recovery code: 12 characters from an alphabet without look-alikes (about 59 bits), shown as xxxx-xxxx-xxxx. */
export function randomRecoveryCode(): string {
  const characters = Array.from({ length: 12 }, () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]);
  return [0, 4, 8].map((start) => characters.slice(start, start + 4).join("")).join("-");
}

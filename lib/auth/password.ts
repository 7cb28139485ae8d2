import { channel } from "node:diagnostics_channel";
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import path from "node:path";
import { hash as argon2Hash, verify as argon2Verify } from "@node-rs/argon2";
import bcrypt from "bcrypt";
import { AppError } from "../errors";

// DECISIONS.md §2: argon2id, m = 19 MiB, t = 2, p = 1. @node-rs/argon2 hashes on libuv's thread
// pool, so a sign-in never blocks the event loop. Its default algorithm is argon2id.
const ARGON2_OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/**
 * Hashes that may run at once: one core fewer than the machine has (at least one). libuv's pool
 * has four threads, so on two cores a burst of sign-ins would otherwise take both cores from the
 * event loop and stall every other request; queued here, the sign-ins wait instead (ADR 0043).
 */
const HASHING_SLOTS = Math.max(1, availableParallelism() - 1);
let hashesRunning = 0;
const waitingForSlot: Array<() => void> = [];

async function inHashingSlot<T>(hash: () => Promise<T>): Promise<T> {
  if (hashesRunning < HASHING_SLOTS) hashesRunning++;
  else await new Promise<void>((resolve) => waitingForSlot.push(resolve));
  try {
    return await hash();
  } finally {
    // A waiting hash takes over the slot; only when nobody waits is it given back.
    const next = waitingForSlot.shift();
    if (next) next();
    else hashesRunning--;
  }
}

/**
 * Publishes { operation: "hash" | "verify" } for every password hash and check, so the time a
 * path spends on passwords can be counted (the tests that prove an unknown account costs the same
 * as a known one, issue 16). Publishing with no subscriber costs nothing.
 */
export const passwordWork = channel("latchkey:password-work");

export async function hashPassword(password: string): Promise<string> {
  passwordWork.publish({ operation: "hash" });
  return inHashingSlot(() => argon2Hash(password, ARGON2_OPTIONS));
}

type PasswordCheck = { ok: boolean; needsUpgrade: boolean };

const BCRYPT_PREFIX = /^\$2[aby]\$\d{2}\$/;

/**
 * Checks a password against a stored hash: argon2id, or seed 000's bcrypt, which is accepted once
 * and reported as needing an upgrade (the caller rehashes it with argon2id).
 */
export async function verifyPassword(storedHash: string, password: string): Promise<PasswordCheck> {
  passwordWork.publish({ operation: "verify" });
  if (BCRYPT_PREFIX.test(storedHash)) {
    const ok = await inHashingSlot(() => bcrypt.compare(password, storedHash));
    return { ok, needsUpgrade: ok };
  }
  try {
    return { ok: await inHashingSlot(() => argon2Verify(storedHash, password)), needsUpgrade: false };
  } catch {
    // A malformed stored hash is a failed check, not a fault the caller can act on.
    return { ok: false, needsUpgrade: false };
  }
}

let dummyHash: Promise<string> | undefined;

/**
 * Spends the same time as checking a real password, for callers that found no account (or no
 * password on it): the answer's timing does not reveal whether the account exists.
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
  // Made once, outside the published work: every later call costs exactly one verify.
  dummyHash ??= inHashingSlot(() => argon2Hash("latchkey-dummy-password-for-unknown-accounts", ARGON2_OPTIONS));
  const hash = await dummyHash;
  passwordWork.publish({ operation: "verify" });
  await inHashingSlot(() => argon2Verify(hash, password));
  return false;
}

// The 10,000 most common passwords of at least 8 characters, in frequency order, from the
// password list that the zxcvbn package (MIT, Dropbox) ships. Compared lower-case.
let commonPasswords: Set<string> | undefined;
function commonPasswordList(): Set<string> {
  commonPasswords ??= new Set(
    readFileSync(path.join(process.cwd(), "lib/auth/common-passwords.txt"), "utf8").split("\n").filter(Boolean),
  );
  return commonPasswords;
}

export function isCommonPassword(password: string): boolean {
  return commonPasswordList().has(password.toLowerCase());
}

/**
 * The server-side part of the password policy that the shared zod schema cannot carry (the list
 * stays out of the browser bundle). Throws a field error for the form.
 */
export function assertPasswordAllowed(password: string, field = "password"): void {
  if (isCommonPassword(password)) {
    throw new AppError("common_password", "This password is too common. Choose one that is harder to guess.", 400, { field });
  }
}

import { z } from "./zod";

// PostgreSQL text cannot hold NUL (Prisma fails with "invalid byte sequence") and a lone UTF-16
// surrogate has no UTF-8 form, so either one in user input used to end as a 500 when stored or
// searched for. Every user-supplied string schema starts from `userText()` so both are a 400.

/** NUL, or a high surrogate not followed by a low one, or a low surrogate not preceded by a high one. */
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function isStorableText(value: string): boolean {
  return !UNSTORABLE.test(value);
}

/** A string that PostgreSQL can store and search: no NUL, no lone surrogate. */
export function userText(params?: Parameters<typeof z.string>[0]) {
  return z.string(params).refine(isStorableText, { message: "Contains a character that cannot be stored (NUL or a lone surrogate).", abort: true });
}

/** Earliest and latest instants a keyset cursor or a date filter may name: the rest is noise. */
const EARLIEST = Date.UTC(1970, 0, 1);
const LATEST = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** `value` as a Date if it is a real instant between 1970 and 9999 (PostgreSQL and Prisma agree on those). */
export function plausibleInstant(value: string): Date | null {
  const date = new Date(value);
  const time = date.getTime();
  return Number.isNaN(time) || time < EARLIEST || time > LATEST ? null : date;
}

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

/**
 * Characters that make a name lie about itself (issue 22, item 12): control characters (a CR/LF in a
 * device name wrote paragraphs into the new-device mail), bidirectional overrides, embeddings,
 * isolates and marks ("\u202Eexe.gnp" reads "png.exe"), and invisible ones (zero-width spaces and
 * joiners, word joiners, invisible operators, the BOM, soft hyphen, Hangul fillers, tag characters).
 * A zero-width joiner between two emoji is kept: it builds one emoji (a family, a flag).
 */
const DECEPTIVE =
  /[\p{Cc}\u200B\u200C\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\u061C\u00AD\u115F\u1160\u180E\u3164\uFEFF\uFFA0\u{E0000}-\u{E007F}]|(?<!\p{Extended_Pictographic}\uFE0F?)\u200D|\u200D(?!\p{Extended_Pictographic})/u;

export function isHonestName(value: string): boolean {
  return !DECEPTIVE.test(value);
}

/** A name people will read (a device, a display or full name): storable, on one line, shown as typed. */
export function nameText(params?: Parameters<typeof z.string>[0]) {
  return userText(params).refine(isHonestName, {
    message: "Use letters, digits, spaces and punctuation only: no line breaks, invisible or text-direction characters.",
    abort: true,
  });
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

import { z } from "./zod";
// Full metadata (every number range and type) on the server; next.config.mjs aliases this import to
// the min metadata in browser bundles, so forms still check shape and length there (ADR 56).
import { parsePhoneNumberFromString, validatePhoneNumberLength, type NumberType } from "libphonenumber-js/max";
import { userText } from "./text";

// Shared by the browser forms (react-hook-form resolvers) and the server actions and API routes:
// nothing here may import Next.js or server-only modules.

export const emailSchema = userText({ error: "Enter your email address." })
  .trim()
  .min(1, "Enter your email address.")
  .max(254, "An email address has at most 254 characters.")
  .toLowerCase()
  .pipe(z.email("Enter a valid email address, like name@example.com."));

// Numbers that exist but cannot take a text message with a code.
const UNTEXTABLE_TYPES: ReadonlySet<NumberType> = new Set(["PREMIUM_RATE", "TOLL_FREE", "SHARED_COST", "UAN", "PAGER", "VOICEMAIL"]);

/**
 * Normalises a phone number to E.164, or returns null when it is not a valid number: one in a
 * range its country has allocated, of a type that can receive a text.
 */
export function normalisePhoneNumber(input: string): string | null {
  const parsed = parsePhoneNumberFromString(input.trim());
  if (!parsed?.isValid()) return null;
  const type = parsed.getType();
  return type && UNTEXTABLE_TYPES.has(type) ? null : parsed.number;
}

export const phoneSchema = userText({ error: "Enter your phone number." })
  .trim()
  .min(1, "Enter your phone number.")
  .max(32, "That is too long for a phone number.")
  .transform((value, ctx) => {
    if (!value.startsWith("+")) {
      ctx.addIssue({ code: "custom", message: "Start with + and the country code, like +1 415 555 2671." });
      return z.NEVER;
    }
    if (/[^\d\s().+-]/.test(value)) {
      ctx.addIssue({ code: "custom", message: "A phone number has only digits, like +1 415 555 2671." });
      return z.NEVER;
    }
    if (validatePhoneNumberLength(value) === "TOO_SHORT") {
      ctx.addIssue({ code: "custom", message: "That number is too short. Check that you entered all its digits." });
      return z.NEVER;
    }
    const e164 = normalisePhoneNumber(value);
    if (!e164) {
      ctx.addIssue({ code: "custom", message: "That is not a valid phone number. Check the country code and the digits." });
      return z.NEVER;
    }
    return e164;
  });

export const codeSchema = z
  .string({ error: "Enter the 6-digit code." })
  .transform((value) => value.replace(/[\s-]/g, ""))
  .pipe(z.string().regex(/^\d{6}$/, "Enter the 6-digit code we sent you."));

type ContactInput = { channel: "EMAIL" | "SMS"; destination: string };

/**
 * One field that takes an email address or a phone number (with its country code) and yields
 * where to reach the person: `{channel, destination}`, normalised.
 */
export const contactSchema = z
  .string({ error: "Enter your email address or phone number." })
  .trim()
  .min(1, "Enter your email address or phone number.")
  .transform((value, ctx): ContactInput => {
    const looksLikePhone = /^[+\d][\d\s().-]*$/.test(value);
    const parsed = looksLikePhone ? phoneSchema.safeParse(value) : emailSchema.safeParse(value);
    if (!parsed.success) {
      ctx.addIssue({ code: "custom", message: parsed.error.issues[0]?.message ?? "Enter a valid email address or phone number." });
      return z.NEVER;
    }
    return { channel: looksLikePhone ? "SMS" : "EMAIL", destination: parsed.data };
  });

import { z } from "./zod";
import { parsePhoneNumberFromString } from "libphonenumber-js";
import { userText } from "./text";

// Shared by the browser forms (react-hook-form resolvers) and the server actions and API routes:
// nothing here may import Next.js or server-only modules.

export const emailSchema = userText({ error: "Enter your email address." })
  .trim()
  .min(1, "Enter your email address.")
  .max(254, "An email address has at most 254 characters.")
  .toLowerCase()
  .pipe(z.email("Enter a valid email address, like name@example.com."));

/** Normalises a phone number to E.164, or returns null when it is not a valid number. */
export function normalisePhoneNumber(input: string): string | null {
  const parsed = parsePhoneNumberFromString(input.trim());
  return parsed?.isValid() ? parsed.number : null;
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

export type ContactInput = { channel: "EMAIL" | "SMS"; destination: string };

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

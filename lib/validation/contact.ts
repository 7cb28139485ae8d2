import { z } from "zod";
import { parsePhoneNumberFromString } from "libphonenumber-js";

// Shared by the browser forms (react-hook-form resolvers) and the server actions and API routes:
// nothing here may import Next.js or server-only modules.

export const emailSchema = z
  .string({ error: "Enter your email address." })
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

export const phoneSchema = z
  .string({ error: "Enter your phone number." })
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

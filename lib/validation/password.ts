import { z } from "./zod";
import { userText } from "./text";

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

// NIST 800-63B-4: length only, no composition rules. The common-password list is checked on the
// server (lib/auth/password.ts) so that 10,000 passwords stay out of the browser bundle.
export const passwordSchema = userText({ error: "Enter a password." })
  .min(PASSWORD_MIN_LENGTH, `Use at least ${PASSWORD_MIN_LENGTH} characters.`)
  .max(PASSWORD_MAX_LENGTH, `Use at most ${PASSWORD_MAX_LENGTH} characters.`);

/** A password field that may be left empty (sign-up: a password can be set later). */
export const optionalPasswordSchema = z
  .string()
  .optional()
  .transform((value) => (value ? value : undefined))
  .pipe(passwordSchema.optional());

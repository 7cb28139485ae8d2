import { z } from "./zod";
import { codeSchema, contactSchema, emailSchema, phoneSchema } from "./contact";
import { optionalPasswordSchema, passwordSchema, PASSWORD_MAX_LENGTH } from "./password";

// One schema per form, shared by the form's resolver and its server action.

export const emailSignUpSchema = z.object({ email: emailSchema, password: optionalPasswordSchema });
export const phoneSignUpSchema = z.object({ phone: phoneSchema, password: optionalPasswordSchema });

export const passwordSignInSchema = z.object({
  contact: contactSchema,
  // No policy at sign-in: an older password may predate it; only the length bound protects argon2.
  password: z.string().min(1, "Enter your password.").max(PASSWORD_MAX_LENGTH, `At most ${PASSWORD_MAX_LENGTH} characters.`),
});

export const codeRequestSchema = z.object({ contact: contactSchema });

export const codePurposeSchema = z.enum(["signup", "signin"]);
export type CodePurposeParam = z.infer<typeof codePurposeSchema>;

export const verifyCodeSchema = z.object({ purpose: codePurposeSchema, contact: contactSchema, code: codeSchema });
export const resendCodeSchema = z.object({ purpose: codePurposeSchema, contact: contactSchema });

export const resetRequestSchema = z.object({ email: emailSchema });
/** With two-step verification on, a reset also takes the app's code or a recovery code, in one field (ADR 0087); empty otherwise. */
const resetSecondFactorSchema = z.string().trim().max(40, "That is not a code from your app nor a recovery code.").optional();
export const resetWithCodeSchema = z.object({ email: emailSchema, code: codeSchema, password: passwordSchema, secondFactor: resetSecondFactorSchema });
/** `removePasskeys`: the reset also removes every passkey of the account (offered, checked by default: ADR 0064). */
export const resetWithLinkSchema = z.object({
  token: z.string().min(1).max(200),
  password: passwordSchema,
  removePasskeys: z.boolean({ error: "Choose whether to remove the passkeys." }),
  secondFactor: resetSecondFactorSchema,
});
export const emailLinkSchema = z.object({ token: z.string().min(1).max(200), clicked: z.boolean().default(false) });
/** The authenticator step of sign-in (two-step verification): a code from the app… */
export const twoStepCodeSchema = z.object({ code: codeSchema });
/** …or one of the account's recovery codes (case, spaces and dashes do not matter). */
export const recoveryCodeSchema = z.object({
  recoveryCode: z.string({ error: "Enter a recovery code." }).trim().min(1, "Enter a recovery code.").max(40, "That is not a recovery code."),
});

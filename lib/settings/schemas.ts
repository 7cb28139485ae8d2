import { z } from "../validation/zod";
import { codeSchema, emailSchema, phoneSchema } from "../validation/contact";
import { passwordSchema, PASSWORD_MAX_LENGTH } from "../validation/password";
import { DEVICE_NAME_MAX } from "../devices/name";
import { nameText } from "../validation/text";

// The inputs of the settings forms, shared by each form's resolver and its server action. Built
// from the sign-in issue's field schemas so both areas accept and refuse exactly the same values.

/** A password typed to prove who you are: only bounded here, judged by comparing with the hash. */
const typedPasswordSchema = z
  .string({ error: "Enter your password." })
  .min(1, "Enter your password.")
  .max(PASSWORD_MAX_LENGTH, "That is not your password.");

export const reauthenticateWithPasswordSchema = z.object({ password: typedPasswordSchema });
export const reauthenticateWithCodeSchema = z.object({ code: codeSchema });

export const changePasswordSchema = z.object({
  // Absent when the account has no password yet (then a recent sign-in stands in for it).
  currentPassword: z
    .string()
    .max(PASSWORD_MAX_LENGTH, "That is not your current password.")
    .optional()
    .transform((value) => value || undefined),
  newPassword: passwordSchema,
});

export const requestEmailChangeSchema = z.object({ email: emailSchema });
export const requestPhoneChangeSchema = z.object({ phone: phoneSchema });
export const confirmChangeSchema = z.object({ code: codeSchema });

export const deviceIdSchema = z.object({ deviceId: z.uuid("No such device.") });

export const renameDeviceSchema = z.object({
  deviceId: z.uuid("No such device."),
  name: nameText({ error: "Enter a name." })
    .trim()
    .min(1, "Enter a name.")
    .max(DEVICE_NAME_MAX, `A device name has at most ${DEVICE_NAME_MAX} characters.`),
});

/** The undo page: the link's token and what its owner chose to keep (everything listed is removed by default, ADR 0086). */
export const revertContactChangeSchema = z.object({
  token: z.string().min(1).max(128),
  keep: z
    .object({
      passkeyIds: z.array(z.uuid()).max(100).optional(),
      twoStep: z.boolean().optional(),
      password: z.boolean().optional(),
      phone: z.string().min(1).max(32).optional(),
    })
    .strict()
    .default({}),
});

/** The privacy settings form: who can find the account through a messaging client (ADR 0046). */
export const discoverySettingsSchema = z.object({
  discoverableByUsername: z.boolean({ error: "Choose whether people can find you by username." }),
  discoverableByPhone: z.boolean({ error: "Choose whether people who have your number can find you." }),
});

export type DiscoverySettings = z.output<typeof discoverySettingsSchema>;

export const confirmTwoStepSchema = z.object({ code: codeSchema });

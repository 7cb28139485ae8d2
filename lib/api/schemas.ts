import { z } from "zod";
import { uuidInput } from "../validation/ids";
import { DEVICE_NAME_MAX } from "../devices/name";
import { codeSchema, emailSchema, phoneSchema } from "../validation/contact";
import { usernameSchema } from "../validation/profile";
import { PASSWORD_MAX_LENGTH } from "../validation/password";
import { nameText, userText } from "../validation/text";

// Request and response bodies of the messaging-client API outside the key directory (whose
// formats live in lib/keys/formats.ts). Routes validate with these and lib/openapi.ts documents
// them, so the two cannot drift apart.

// A client signs in by email or by phone number (E.164), never both at once.
const contactFields = {
  email: emailSchema.optional(),
  phoneNumber: phoneSchema.optional().meta({ description: "A phone number in E.164 (+ and the country code), instead of an email address." }),
};
const oneContact = {
  check: (body: { email?: string; phoneNumber?: string }) => (body.email === undefined) !== (body.phoneNumber === undefined),
  message: { message: "Send either email or phoneNumber (exactly one of them)." },
};

export const codeRequestSchema = z
  .object(contactFields)
  .refine(oneContact.check, oneContact.message)
  .meta({ id: "CodeRequest", description: "Body of POST /api/auth/code: an email address or a phone number." });

const firstFactorTokenRequestSchema = z
  .object({
    ...contactFields,
    code: codeSchema.optional().meta({ description: "The 6-digit code from POST /api/auth/code." }),
    password: userText()
      .min(1, "Enter the password.")
      .max(PASSWORD_MAX_LENGTH, `A password has at most ${PASSWORD_MAX_LENGTH} characters.`)
      .optional()
      .meta({ description: "The account's password, instead of a code." }),
    // Optional only in the schema's structure: the refinement below requires it. A missing field
    // would end this shape's parse, and the union would then answer "Invalid input" for both shapes.
    deviceName: nameText()
      .trim()
      .min(1, "Name the device, e.g. \"Ada's phone\".")
      .max(DEVICE_NAME_MAX, `A device name has at most ${DEVICE_NAME_MAX} characters.`)
      .optional()
      .meta({ description: "Shown in the user's device list. Required." }),
  })
  .refine((body) => body.deviceName !== undefined, { message: "Name the device, e.g. \"Ada's phone\".", path: ["deviceName"] })
  .refine(oneContact.check, oneContact.message)
  .refine((body) => (body.code === undefined) !== (body.password === undefined), {
    message: "Send either code or password (exactly one of them).",
  })
  .refine((body) => body.password === undefined || body.email !== undefined, {
    message: "A password signs in with an email address; with a phone number, send the texted code.",
  })
  .meta({
    id: "TokenRequest",
    description: "Body of POST /api/auth/token: an email with either a code or a password, or a phone number with a code.",
  });

/** The second request of a sign-in with two-step verification on (ADR 0072). */
const secondFactorTokenRequestSchema = z
  .object({
    challenge: z.string().min(1).max(100).meta({ description: "The `challenge` of the 401 `second_factor_required` answer; single use, valid 5 minutes." }),
    totp: codeSchema.optional().meta({ description: "The 6-digit code the account's authenticator app shows now." }),
    recoveryCode: z.string().trim().min(1).max(40).optional().meta({ description: "One of the account's recovery codes, instead of totp; each works once." }),
  })
  .refine((body) => (body.totp === undefined) !== (body.recoveryCode === undefined), { message: "Send either totp or recoveryCode (exactly one of them)." })
  .meta({ id: "SecondFactorRequest", description: "Body of POST /api/auth/token finishing a sign-in that answered 401 `second_factor_required`." });

// A body without `challenge` fails the second shape on its structure, so a wrong first-factor body
// is answered with the first shape's own messages.
export const tokenRequestSchema = z.union([firstFactorTokenRequestSchema, secondFactorTokenRequestSchema]).meta({
  id: "TokenExchange",
  description: "Body of POST /api/auth/token: a first factor, or the second factor that finishes a sign-in with two-step verification on.",
});

export type TokenRequest = z.output<typeof tokenRequestSchema>;
export type FirstFactorTokenRequest = z.output<typeof firstFactorTokenRequestSchema>;

export const tokenResponseSchema = z
  .object({
    userId: z.uuid(),
    deviceId: z.uuid().meta({ description: "The new device this token belongs to." }),
    token: z.string().meta({ description: "Bearer token for `Authorization: Bearer <token>`; shown only once." }),
    expiresAt: z.iso.datetime().meta({ description: "When the token stops working (90 days)." }),
  })
  .meta({ id: "Token", description: "A new device and its bearer token." });

export type TokenResponse = z.input<typeof tokenResponseSchema>;

export const deviceSchema = z
  .object({
    deviceId: z.uuid(),
    name: z.string(),
    kind: z.enum(["BROWSER", "CLIENT"]).meta({ description: "A browser session or a messaging client." }),
    current: z.boolean().meta({ description: "true for the device whose token made this request." }),
    registrationId: z.int().nullable().meta({ description: "Set once the device has uploaded its keys." }),
    createdAt: z.iso.datetime(),
    lastSeenAt: z.iso.datetime().nullable(),
  })
  .meta({ id: "Device", description: "One of the user's active devices." });

export const deviceListResponseSchema = z
  .object({ devices: z.array(deviceSchema) })
  .meta({ id: "DeviceList", description: "Body of GET /api/devices: the caller's active devices, most recently seen first." });

export type DeviceListResponse = z.input<typeof deviceListResponseSchema>;

export const userIdParam = uuidInput().meta({ description: "The user whose keys to fetch." });
export const deviceIdParam = uuidInput().meta({ description: "One of the caller's devices." });

export const usernameParam = usernameSchema.meta({ description: "The username, in any case." });

export const userByUsernameResponseSchema = z
  .object({ userId: z.uuid().meta({ description: "Fetch this person's keys with GET /api/keys/{userId}/*." }) })
  .meta({ id: "FoundUser", description: "Body of GET /api/users/by-username/{username}." });

export const MAX_LOOKUP_NUMBERS = 100;

export const phoneLookupRequestSchema = z
  .object({
    phoneNumbers: z
      .array(phoneSchema)
      .min(1, "Send at least one phone number.")
      .max(MAX_LOOKUP_NUMBERS, `Send at most ${MAX_LOOKUP_NUMBERS} phone numbers per request.`)
      .meta({ description: `1 to ${MAX_LOOKUP_NUMBERS} phone numbers in E.164 (+ and the country code); each one counts against the budget.` }),
  })
  .meta({ id: "PhoneLookupRequest", description: "Body of POST /api/users/lookup." });

export const phoneLookupResponseSchema = z
  .object({
    matches: z.array(
      z.object({
        phoneNumber: z.string().meta({ description: "One of the numbers asked, in E.164." }),
        userId: z.uuid(),
      }),
    ),
  })
  .meta({
    id: "PhoneLookupResult",
    description: "Body of POST /api/users/lookup: only the people who verified the number and let people who have it find them.",
  });

export type PhoneLookupResponse = z.input<typeof phoneLookupResponseSchema>;

export const accountDeletionSchema = z
  .object({
    code: codeSchema.meta({
      description: "A sign-in code just requested with POST /api/auth/code for the account's own email address (its phone number when it has none).",
    }),
  })
  .meta({ id: "AccountDeletion", description: "Body of DELETE /api/account." });

const trustedSizeField = z
  .number()
  .int()
  .min(0)
  .max(2 ** 40)
  .optional()
  .meta({ description: "Size of the checkpoint the client trusts; a consistency proof from it is included (0 or absent: none)." });

const versionField = z.number().int().min(0).max(2 ** 31 - 1);

export const transparencySearchRequestSchema = z
  .object({
    userId: uuidInput().optional().meta({ description: "Search the account's keys label (`keys:<userId>`)." }),
    username: usernameSchema.optional().meta({ description: "Search `username:<username>` (counts as a username lookup)." }),
    phoneNumber: phoneSchema.optional().meta({ description: "Search `phone:<E.164>` (counts as a phone-number lookup of one number)." }),
    version: versionField.optional().meta({ description: "Prove this version and every later one (a history answer) rather than only the greatest." }),
    trustedSize: trustedSizeField,
  })
  .refine((body) => [body.userId, body.username, body.phoneNumber].filter((v) => v !== undefined).length === 1, "Name exactly one of userId, username and phoneNumber.")
  .meta({ id: "TransparencySearchRequest", description: "Body of POST /api/kt/search." });

export const transparencyMonitorRequestSchema = z
  .object({
    userId: uuidInput().meta({ description: "The caller's own user id: nobody else's labels can be monitored." }),
    kind: z.enum(["keys", "username", "phone"]).default("keys").meta({ description: "Which of the account's labels: its device keys (default), its username or its phone number." }),
    since: versionField.nullable().optional().meta({ description: "The greatest version the caller has already checked; absent or null: from version 0." }),
    trustedSize: trustedSizeField,
  })
  .meta({ id: "TransparencyMonitorRequest", description: "Body of POST /api/kt/monitor." });

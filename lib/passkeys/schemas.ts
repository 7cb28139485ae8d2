import { z } from "../validation/zod";
import { nameText } from "../validation/text";
import type { AuthenticationExtensionsClientOutputs, AuthenticationResponseJSON, RegistrationResponseJSON } from "@simplewebauthn/server";

// What the browser sends back from navigator.credentials.create()/get(), as @simplewebauthn/browser
// serialises it. Only shapes and sizes are checked here; the signatures and the attestation are
// checked by @simplewebauthn/server against the stored challenge and key.

const MAX_FIELD = 16_384;
const base64url = z.string().min(1).max(MAX_FIELD).regex(/^[A-Za-z0-9_-]+$/, "not base64url");

const credentialCommon = {
  id: base64url.max(1366), // credential ids are at most 1023 bytes
  rawId: base64url.max(1366),
  type: z.literal("public-key"),
  clientExtensionResults: z
    .custom<AuthenticationExtensionsClientOutputs>((value) => typeof value === "object" && value !== null && !Array.isArray(value))
    .default({}),
  authenticatorAttachment: z.enum(["platform", "cross-platform"]).optional(),
};

export const registrationResponseSchema = z.object({
  ...credentialCommon,
  response: z.object({
    clientDataJSON: base64url,
    attestationObject: base64url,
    authenticatorData: base64url.optional(),
    transports: z.array(z.string().max(32)).max(10).optional(),
    publicKeyAlgorithm: z.number().int().optional(),
    publicKey: base64url.optional(),
  }),
})
  // Transport names and extension outputs the library does not know yet are passed through.
  .transform((value) => value as RegistrationResponseJSON);

export const authenticationResponseSchema = z.object({
  ...credentialCommon,
  response: z.object({
    clientDataJSON: base64url,
    authenticatorData: base64url,
    signature: base64url,
    userHandle: base64url.optional(),
  }),
})
  .transform((value) => value as AuthenticationResponseJSON);

export const PASSKEY_NAME_MAX = 64;

export const passkeyIdSchema = z.object({ passkeyId: z.uuid("No such passkey.") });

export const renamePasskeySchema = z.object({
  passkeyId: z.uuid("No such passkey."),
  name: nameText({ error: "Enter a name." })
    .trim()
    .min(1, "Enter a name.")
    .max(PASSKEY_NAME_MAX, `A passkey name has at most ${PASSKEY_NAME_MAX} characters.`),
});

import { z } from "zod";
import { ONE_TIME_KEY_CLAIMS_PER_DEVICE } from "../limits";
import { BASE64_PATTERN, decodeBase64 } from "./base64";

// Wire formats of the key directory (DECISIONS.md §4). Keys are libsignal's serialized forms, so
// what a client uploads is byte for byte what another client's PreKeyBundle is built from.

export const EC_KEY_TYPE = 0x05;
export const EC_PUBLIC_KEY_LENGTH = 33;
export const KYBER_KEY_TYPE = 0x08;
export const KYBER_PUBLIC_KEY_LENGTH = 1569;
export const SIGNATURE_LENGTH = 64;
export const MAX_KEY_ID = 2 ** 24 - 1;
export const MAX_REGISTRATION_ID = 16380;

/** Most one-time keys one upload may carry per list; more is answered 413, not 400. */
export const MAX_KEYS_PER_LIST = 100;

// n bytes are ⌈4n/3⌉ base64 characters unpadded, 4⌈n/3⌉ padded: checking the length first keeps
// a huge string from being matched or decoded at all.
const base64Length = (bytes: number) => ({ min: Math.ceil((bytes * 4) / 3), max: 4 * Math.ceil(bytes / 3) });

function base64Bytes(length: number, typeByte: number | undefined, description: string) {
  const size = base64Length(length);
  const sizeMessage = `Must be ${length} bytes in base64.`;
  return z
    .string()
    .min(size.min, sizeMessage)
    .max(size.max, sizeMessage)
    .transform((text, ctx) => {
      const bytes = decodeBase64(text);
      if (!bytes) {
        // The pattern only picks the message: decodeBase64 has already refused the text.
        const message = BASE64_PATTERN.test(text)
          ? "Must be canonical base64: the unused bits of the last character must be 0."
          : "Must be standard base64 (A–Z, a–z, 0–9, +, /; padding optional).";
        ctx.addIssue({ code: "custom", message });
        return z.NEVER;
      }
      if (bytes.length !== length) {
        ctx.addIssue({ code: "custom", message: sizeMessage });
        return z.NEVER;
      }
      if (typeByte !== undefined && bytes[0] !== typeByte) {
        ctx.addIssue({ code: "custom", message: `Must start with the type byte 0x${typeByte.toString(16).padStart(2, "0")}.` });
        return z.NEVER;
      }
      return bytes;
    })
    .meta({ description, contentEncoding: "base64", pattern: BASE64_PATTERN.source });
}

const ecPublicKey = base64Bytes(EC_PUBLIC_KEY_LENGTH, EC_KEY_TYPE, "Serialized X25519 public key: 33 bytes, 0x05 then the key, base64.");
const kyberPublicKey = base64Bytes(KYBER_PUBLIC_KEY_LENGTH, KYBER_KEY_TYPE, "Serialized Kyber-1024 public key: 1569 bytes, 0x08 then the key, base64.");
const signature = base64Bytes(SIGNATURE_LENGTH, undefined, "XEdDSA signature (64 bytes, base64) by the device's identity key over the serialized public key.");

const keyId = z
  .int()
  .min(0)
  .max(MAX_KEY_ID)
  .meta({ description: "Client-chosen key id, 0…2^24−1, unique per device among keys of its kind." });

const signedPreKeyUploadSchema = z
  .object({ keyId, publicKey: ecPublicKey, signature })
  .meta({ id: "SignedPreKeyUpload", description: "An EC prekey signed by the identity key; replaces the device's current one." });

const preKeyUploadSchema = z
  .object({ keyId, publicKey: ecPublicKey })
  .meta({ id: "PreKeyUpload", description: "A one-time EC prekey." });

const kyberPreKeyUploadSchema = z
  .object({ keyId, publicKey: kyberPublicKey, signature })
  .meta({ id: "KyberPreKeyUpload", description: "A Kyber-1024 prekey signed by the identity key." });

// One list never names a keyId twice: the directory would have to pick one, and whichever it
// picked, the client could not tell which private key a sender used.
function withUniqueKeyIds<T extends z.ZodType<{ keyId: number }>>(item: T, description: string) {
  return z
    .array(item)
    .superRefine((keys, ctx) => {
      const seen = new Set<number>();
      keys.forEach(({ keyId }, index) => {
        if (seen.has(keyId)) ctx.addIssue({ code: "custom", path: [index, "keyId"], message: `keyId ${keyId} appears twice in this list.` });
        seen.add(keyId);
      });
    })
    .meta({ description: `${description} At most ${MAX_KEYS_PER_LIST}; when present, replaces the device's unclaimed keys of this kind.` });
}

export const keyUploadSchema = z
  .object({
    identityKey: ecPublicKey,
    registrationId: z.int().min(1).max(MAX_REGISTRATION_ID).meta({ description: "The device's libsignal registration id, 1…16380." }),
    signedPreKey: signedPreKeyUploadSchema.optional(),
    preKeys: withUniqueKeyIds(preKeyUploadSchema, "One-time EC prekeys.").optional(),
    pqPreKeys: withUniqueKeyIds(kyberPreKeyUploadSchema, "One-time Kyber prekeys.").optional(),
    pqLastResortPreKey: kyberPreKeyUploadSchema.optional(),
  })
  .superRefine(({ pqPreKeys, pqLastResortPreKey }, ctx) => {
    // Kyber one-time and last-resort keys share one id space per device (ADR 0007).
    if (pqLastResortPreKey && pqPreKeys?.some(({ keyId }) => keyId === pqLastResortPreKey.keyId)) {
      ctx.addIssue({
        code: "custom",
        path: ["pqLastResortPreKey", "keyId"],
        message: `keyId ${pqLastResortPreKey.keyId} is also used by a key in pqPreKeys.`,
      });
    }
  })
  .meta({
    id: "KeyUpload",
    description:
      "Body of PUT /api/keys. The identity key is fixed by the first upload; every signature is checked before anything is stored.",
  });

/** The upload as a client sends it: base64 strings. */
export type KeyUploadRequest = z.input<typeof keyUploadSchema>;
/** The upload after parsing: bytes, ready for signature checks and storage. */
export type KeyUpload = z.output<typeof keyUploadSchema>;

type KeyListName = "preKeys" | "pqPreKeys";

/**
 * The first one-time key list in a raw (unparsed) body with more than MAX_KEYS_PER_LIST entries,
 * or null. Checked before the schema so an oversized upload is answered 413, not 400.
 */
export function findOversizedKeyList(body: unknown): KeyListName | null {
  if (typeof body !== "object" || body === null) return null;
  const lists: KeyListName[] = ["preKeys", "pqPreKeys"];
  return lists.find((name) => {
    const list: unknown = (body as Record<string, unknown>)[name];
    return Array.isArray(list) && list.length > MAX_KEYS_PER_LIST;
  }) ?? null;
}

export const keyCountResponseSchema = z
  .object({
    preKeys: z.int().min(0).meta({ description: "Unclaimed one-time EC prekeys." }),
    pqPreKeys: z.int().min(0).meta({ description: "Unclaimed one-time Kyber prekeys (the last-resort key is not counted)." }),
  })
  .meta({ id: "KeyCount", description: "The calling device's stock of one-time keys." });


const ageSeconds = z.int().min(0).nullable();

export const keyStatusResponseSchema = keyCountResponseSchema
  .extend({
    signedPreKeyAgeSeconds: ageSeconds.meta({ description: "Seconds since the current signed prekey was uploaded; null before the first one." }),
    hasPqLastResortPreKey: z.boolean().meta({ description: "Whether the device has stored a Kyber last-resort key (needed to be served at all)." }),
    pqLastResortPreKeyAgeSeconds: ageSeconds.meta({ description: "Seconds since the Kyber last-resort key was uploaded; null when there is none." }),
    claimsThrottled: z.boolean().meta({
      description:
        `Whether this device's one-time keys have been claimed up to their budget across all requesters (${ONE_TIME_KEY_CLAIMS_PER_DEVICE.burst} at once, ` +
        `then one every ${ONE_TIME_KEY_CLAIMS_PER_DEVICE.perSeconds} s): ` +
        "until it refills, fetches of this device get no EC one-time key and the Kyber last-resort key. The owner is also told by a security notice.",
    }),
    preKeysClaimedLastHour: z.int().min(0).meta({ description: "One-time EC prekeys of this device claimed by others in the last hour." }),
    pqPreKeysClaimedLastHour: z.int().min(0).meta({ description: "One-time Kyber prekeys of this device claimed by others in the last hour." }),
  })
  .meta({
    id: "KeyStatus",
    description: "Body of GET /api/keys/count: the calling device's stock of one-time keys and the age of its long-lived keys.",
  });

export type KeyStatusResponse = z.infer<typeof keyStatusResponseSchema>;

// Responses always carry padded base64, which z.base64() describes exactly.
const servedEcPublicKey = z.base64().meta({ description: "Serialized X25519 public key (33 bytes, 0x05 first), base64." });
const servedKyberPublicKey = z.base64().meta({ description: "Serialized Kyber-1024 public key (1569 bytes, 0x08 first), base64." });
const servedSignature = z.base64().meta({ description: "XEdDSA signature (64 bytes) by the identity key over the public key, base64." });

const signedPreKeySchema = z
  .object({ keyId, publicKey: servedEcPublicKey, signature: servedSignature })
  .meta({ id: "SignedPreKey", description: "The device's current signed EC prekey." });

const preKeySchema = z
  .object({ keyId, publicKey: servedEcPublicKey })
  .meta({ id: "PreKey", description: "A one-time EC prekey, claimed by this fetch: it is never served again." });

const kyberPreKeySchema = z
  .object({ keyId, publicKey: servedKyberPublicKey, signature: servedSignature })
  .meta({ id: "KyberPreKey", description: "A one-time Kyber prekey claimed by this fetch, or the device's last-resort Kyber key when none is left." });

export const deviceKeyBundleSchema = z
  .object({
    deviceId: z.uuid().meta({ description: "The device these keys belong to." }),
    registrationId: z.int().min(1).max(MAX_REGISTRATION_ID).meta({ description: "The device's libsignal registration id." }),
    identityKey: servedEcPublicKey,
    signedPreKey: signedPreKeySchema,
    preKey: preKeySchema.nullable().meta({ description: "null when the device has no one-time EC prekeys left." }),
    pqPreKey: kyberPreKeySchema,
    transparencyEpoch: z
      .union([z.int().min(0), z.literal("pending")])
      .optional()
      .meta({
        description:
          "The key-transparency epoch from which the log holds this identity key (search `keys:<userId>` with POST /api/kt/search to verify it), " +
          "or `pending`: uploaded after the newest epoch, published with the next one (KT_EPOCH_SECONDS).",
      }),
  })
  .meta({ id: "DeviceKeyBundle", description: "What a client needs to build a session (PQXDH) with one device." });

export type DeviceKeyBundle = z.infer<typeof deviceKeyBundleSchema>;

export const keyBundleResponseSchema = z
  .object({
    userId: z.uuid().meta({ description: "The user whose devices these are." }),
    devices: z.array(deviceKeyBundleSchema),
  })
  .meta({
    id: "KeyBundles",
    description: "Body of GET /api/keys/{userId}/{deviceId|*}: one bundle per active device (or the one named).",
  });

export type KeyBundleResponse = z.infer<typeof keyBundleResponseSchema>;

import { z } from "zod";
import { uuidInput } from "../validation/ids";
import {
  keyBundleResponseSchema,
  keyStatusResponseSchema,
  keyUploadSchema,
  findOversizedKeyList,
  MAX_KEYS_PER_LIST,
} from "../keys/formats";
import { CALLER_LIMITS, ONE_TIME_KEY_CLAIMS_PER_DEVICE } from "../limits";
import { API_ROUTES } from "../http/api-routes";
import { CALLER_LIMITED, DEFAULT_CALLER_LIMITS, defineEndpoint } from "./endpoint";
import {
  accountDeletionSchema,
  codeRequestSchema,
  deviceIdParam,
  deviceListResponseSchema,
  MAX_LOOKUP_NUMBERS,
  phoneLookupRequestSchema,
  phoneLookupResponseSchema,
  tokenRequestSchema,
  tokenResponseSchema,
  userByUsernameResponseSchema,
  userIdParam,
  transparencySearchRequestSchema,
  transparencyMonitorRequestSchema,
  usernameParam,
} from "./schemas";

// The messaging-client API (DECISIONS.md §4), one entry per operation. Route handlers are built
// from these entries and the OpenAPI document is generated from them.

const UNAUTHORIZED = "No bearer token, or it is invalid, expired or revoked, or its device was revoked.";
const INVALID_BODY = "Malformed JSON, or a body that does not match the schema (the message names the field).";

export const requestCode = defineEndpoint({
  ...API_ROUTES.requestCode,
  operationId: "requestCode",
  summary: "Mail or text a sign-in code",
  description:
    "Sends a 6-digit code, valid 10 minutes, to the email address or, by SMS, to the phone number. The answer is the same whether " +
    "or not an account exists; verifying a code for a new address or number creates the account.",
  auth: "public",
  body: codeRequestSchema,
  success: { status: 202, description: "Accepted: a code is on its way if the address or number can receive one." },
  errors: {
    400: `${INVALID_BODY} Also \`sms_country_not_allowed\`: texts do not go to that number's country (SMS_ALLOWED_COUNTRIES).`,
    429: "Too many code requests from this IP address or for this address or number, or the hourly SMS budget is spent.",
  },
});

export const exchangeToken = defineEndpoint({
  ...API_ROUTES.exchangeToken,
  operationId: "createToken",
  summary: "Exchange a code or password for a device and a bearer token",
  description:
    "Every call creates a new CLIENT device (one per install of the client) and a session on it. An account has at most 6 messaging devices at once (ADR 0062). " +
    "With two-step verification on, a right code or password answers 401 `second_factor_required` with a `challenge` (valid 5 minutes, single use); " +
    "send `{challenge, totp}` or `{challenge, recoveryCode}` to finish (ADR 0072).",
  auth: "public",
  body: tokenRequestSchema,
  success: { status: 201, description: "The new device and its bearer token.", schema: tokenResponseSchema },
  errors: {
    400: `${INVALID_BODY} Also \`invalid_code\`: a wrong, expired or used code (or authenticator code); \`code_already_used\`: that authenticator code was accepted before; \`invalid_recovery_code\`.`,
    401: "`invalid_credentials`: the email address and password do not match. `second_factor_required`: the first factor was right and two-step verification is on; the body's error carries `challenge` and `expiresAt`. `challenge_expired`: the challenge is unknown, used or older than 5 minutes.",
    403: "The account is deactivated, or its address was never confirmed (sign in with a code first).",
    409: "`device_limit_reached`: the account already has 6 messaging devices; revoke one first. The code is not spent.",
    429: "Too many attempts for this address or number, or from this IP address, or 10 wrong second factors for the account in an hour.",
  },
});

export const revokeToken = defineEndpoint({
  ...API_ROUTES.revokeToken,
  operationId: "revokeToken",
  summary: "Sign out: revoke this bearer token",
  description: "The device stays in the list (and keeps its keys); revoke the device to remove it.",
  auth: "bearer",
  success: { status: 204, description: "The token no longer works." },
  errors: { 401: UNAUTHORIZED, 429: CALLER_LIMITED },
});

export const uploadKeys = defineEndpoint({
  ...API_ROUTES.uploadKeys,
  operationId: "uploadKeys",
  summary: "Upload the calling device's keys",
  description:
    "The first upload sets the identity key and registration id, which never change afterwards. A list that is present " +
    "replaces the device's unclaimed keys of that kind; a signed prekey or last-resort key replaces the current one. " +
    "Every signature is checked before anything is stored, and the upload is stored all or nothing.",
  auth: "bearer",
  callerLimits: CALLER_LIMITS.keyUpload,
  body: keyUploadSchema,
  oversized: (body) => {
    const list = findOversizedKeyList(body);
    return list ? `${list} has more than ${MAX_KEYS_PER_LIST} keys; upload at most ${MAX_KEYS_PER_LIST} per list.` : null;
  },
  success: { status: 204, description: "All keys stored." },
  errors: {
    400: `${INVALID_BODY} Wrong key lengths, type bytes or ids are 400 too.`,
    401: UNAUTHORIZED,
    409: "`identity_key_mismatch` / `registration_id_mismatch`: differs from the device's first upload. `key_id_conflict`: a keyId is already stored for the device.",
    413: `More than ${MAX_KEYS_PER_LIST} keys in a list (\`too_many_keys\`), or a body over 512 KiB (\`payload_too_large\`).`,
    422: "`invalid_signature`: a signature does not verify against the identity key; nothing was stored.",
    429: "More than 5 uploads by the calling device (then 1 every 10 minutes) or 10 by its account (then 1 every 2 minutes); see Retry-After.",
  },
});

export const countKeys = defineEndpoint({
  ...API_ROUTES.countKeys,
  operationId: "countKeys",
  summary: "Count the calling device's unclaimed one-time keys, and age its signed and last-resort keys",
  description:
    "Refill with PUT /api/keys when a count falls below 10; rotate the signed prekey (and the Kyber last-resort key) once it is " +
    "2 days old. See \"Keeping keys fresh\" in docs/api.md.",
  auth: "bearer",
  // Charged by keyStatus in the statement that reads the status: polling costs one round trip.
  callerLimits: { ...DEFAULT_CALLER_LIMITS, chargedByRun: true },
  success: { status: 200, description: "The stock of one-time keys and the age of the long-lived ones.", schema: keyStatusResponseSchema },
  errors: { 401: UNAUTHORIZED, 429: CALLER_LIMITED },
});

export const fetchBundles = defineEndpoint({
  ...API_ROUTES.fetchBundles,
  operationId: "fetchBundles",
  summary: "Fetch (and claim) a user's prekey bundles",
  description:
    "One bundle per active device of the user that has uploaded an identity key, a signed prekey and a Kyber last-resort key, " +
    "or only the device named. Each fetch claims one EC and one Kyber one-time key per device; no key is ever served twice. " +
    "When the Kyber keys run out the last-resort key is served; when the EC keys run out `preKey` is null. " +
    `The same happens to a device whose one-time keys everyone together has claimed beyond their budget (${ONE_TIME_KEY_CLAIMS_PER_DEVICE.burst} at once, ` +
    `then one every ${ONE_TIME_KEY_CLAIMS_PER_DEVICE.perSeconds} s): the bundle still builds a session, and the owner is told (ADR 0069). ` +
    "Rate limited per (calling device, user): a burst of 10, then 1 a minute; per (calling account, user), all its devices together: a burst of 30, then 1 every 20 s; " +
    "and across all users: a burst of 100, then 1 every 36 s per calling device, and a burst of 200, then 1 every 18 s per calling account.",
  auth: "bearer",
  callerLimits: { ...CALLER_LIMITS.keyClaim, chargedByRun: true },
  params: z.object({
    userId: userIdParam,
    deviceId: z.union([uuidInput(), z.literal("*")]).meta({ description: "A device id, or `*` for every device." }),
  }),
  success: { status: 200, description: "The claimed bundles.", schema: keyBundleResponseSchema },
  errors: {
    401: UNAUTHORIZED,
    404: "No such user, or no such device (revoked, or not yet holding the keys needed to build a session).",
    429: "Too many fetches of this user's keys by the calling device or account, or of anyone's keys by the calling device or account; see Retry-After.",
  },
});

export const listDevices = defineEndpoint({
  ...API_ROUTES.listDevices,
  operationId: "listDevices",
  summary: "List the caller's devices",
  auth: "bearer",
  success: { status: 200, description: "The caller's active devices.", schema: deviceListResponseSchema },
  errors: { 401: UNAUTHORIZED, 429: CALLER_LIMITED },
});

export const revokeDevice = defineEndpoint({
  ...API_ROUTES.revokeDevice,
  operationId: "revokeDevice",
  summary: "Revoke one of the caller's devices",
  description: "Its sessions end and every key it uploaded is deleted. Revoking the calling device signs it out.",
  auth: "bearer",
  params: z.object({ deviceId: deviceIdParam }),
  success: { status: 204, description: "Revoked." },
  errors: { 401: UNAUTHORIZED, 404: "No such device among the caller's active devices.", 429: CALLER_LIMITED },
});

export const findUserByUsername = defineEndpoint({
  ...API_ROUTES.findUserByUsername,
  operationId: "findUserByUsername",
  summary: "Find a person by username",
  description:
    "Case-insensitive. A person who turned username discovery off is answered exactly like a username nobody has. " +
    "Budget per calling account (and per device): a burst of 100, then 1 every 15 minutes.",
  auth: "bearer",
  callerLimits: CALLER_LIMITS.usernameLookup,
  params: z.object({ username: usernameParam }),
  success: { status: 200, description: "The person's user id.", schema: userByUsernameResponseSchema },
  errors: {
    401: UNAUTHORIZED,
    404: "`not_found`: nobody can be found by that username (unknown, not discoverable, or not a valid username).",
    429: "The calling account or device used up its username lookups; see Retry-After.",
  },
});

export const lookUpPhoneNumbers = defineEndpoint({
  ...API_ROUTES.lookUpPhoneNumbers,
  operationId: "lookUpPhoneNumbers",
  summary: "Find people by phone number",
  description:
    "Answers only the numbers whose owner verified them and let people who have the number find them; any other number is " +
    "left out, whether or not it has an account. Budget per calling account (and per device), counted in numbers: " +
    "a burst of 1,000 numbers, then 1,000 a day. A request that does not fit in what is left is refused whole.",
  auth: "bearer",
  callerLimits: { ...CALLER_LIMITS.phoneLookup, chargedByRun: true },
  body: phoneLookupRequestSchema,
  success: { status: 200, description: "The numbers that can be found and whose they are.", schema: phoneLookupResponseSchema },
  errors: {
    400: `${INVALID_BODY} Also: no numbers, more than ${MAX_LOOKUP_NUMBERS}, or a number that is not valid E.164.`,
    401: UNAUTHORIZED,
    429: "The calling account or device used up its phone-number lookups; see Retry-After.",
  },
});

export const openApiDocument = defineEndpoint({
  ...API_ROUTES.openApiDocument,
  operationId: "getOpenApiDocument",
  summary: "This API as OpenAPI 3.1",
  auth: "public",
  success: { status: 200, description: "The OpenAPI document.", schema: z.record(z.string(), z.unknown()) },
  errors: { 429: "Too many requests from this IP address." },
});

export const transparencyCheckpoint = defineEndpoint({
  ...API_ROUTES.transparencyCheckpoint,
  operationId: "getTransparencyCheckpoint",
  summary: "The key-transparency log's newest checkpoint",
  description: "The signed note (c2sp.org/tlog-checkpoint) of the newest epoch, signed by the log's Ed25519 key (ADR 0060).",
  auth: "public",
  success: { status: 200, description: "The checkpoint as a signed note.", schema: z.object({ checkpoint: z.string() }) },
  errors: { 404: "The log has no epoch yet.", 429: "Too many requests from this IP address." },
});

export const transparencySearch = defineEndpoint({
  ...API_ROUTES.transparencySearch,
  operationId: "searchTransparencyLog",
  summary: "Prove a label's published value in the newest epoch",
  description:
    "Name one label: an account's keys (`userId`, any signed-in client may ask), a `username` or a `phoneNumber`. Without `version`, the answer is the " +
    "label's greatest version with the proofs the client package's verifySearch checks: checkpoint, consistency from `trustedSize`, inclusion of the " +
    "newest epoch, VRF ladder, prefix proof, value and opening. With `version`, it also carries `history`: that version and every later one, each " +
    "proved present in the epoch it appeared in and absent from the one before (verifyMonitor with lastSeen = version − 1); the version's value is " +
    "history[0].value. A username search is charged to the caller's username-lookup budget and a phone search to its phone-lookup budget (one number), " +
    "and a label whose discovery is off is answered like one nobody has. Binary fields are base64.",
  auth: "bearer",
  callerLimits: { ...DEFAULT_CALLER_LIMITS, chargedByRun: true },
  body: transparencySearchRequestSchema,
  success: { status: 200, description: "The search answer.", schema: z.record(z.string(), z.unknown()) },
  errors: {
    400: `${INVALID_BODY} Also \`too_many_versions\`: more than 1,024 versions from \`version\` on.`,
    401: UNAUTHORIZED,
    404: "The log has no epoch yet or fewer epochs than `trustedSize`; the label is not in it (or its discovery is off); no such version, or it was erased after a tombstone.",
    429: `${CALLER_LIMITED} For usernames and phone numbers: the discovery budget is spent.`,
  },
});

export const transparencyMonitor = defineEndpoint({
  ...API_ROUTES.transparencyMonitor,
  operationId: "monitorTransparencyLog",
  summary: "Every published version of one of your own labels since you last looked",
  description:
    "For the caller's own account only: its device-keys label (default), its username or its phone number. The answer is a search answer plus " +
    "`history`, every version after `since`, each with its value and the epoch it appeared in, proved as verifyMonitor in the client package checks. " +
    "A version that none of your devices caused (an identity key you did not upload) is what to look for: your client knows its own keys. " +
    "For the keys label the server also lists, as `unexplainedDevices` ({version, epoch, deviceId}), the devices those versions added whose identity " +
    "key no upload by the account explains (a key written straight into the database).",
  auth: "bearer",
  body: transparencyMonitorRequestSchema,
  success: { status: 200, description: "The monitoring answer.", schema: z.record(z.string(), z.unknown()) },
  errors: {
    400: `${INVALID_BODY} Also \`too_many_versions\`: more than 1,024 versions since \`since\`.`,
    401: UNAUTHORIZED,
    403: "`not_your_label`: `userId` is not the caller's.",
    404: "The log has no epoch yet, the label is not in it, `since` is past its greatest version, or a version asked for was erased; the account has no username or phone number.",
    429: CALLER_LIMITED,
  },
});

export const transparencyKeyList = defineEndpoint({
  ...API_ROUTES.transparencyKeyList,
  operationId: "getTransparencyKeys",
  summary: "The verifier keys of the key-transparency log",
  description:
    "One C2SP vkey (`<name>+<id>+<base64 key>`) a line: the log's Ed25519 key that signs checkpoints, then those of the auditor and witnesses " +
    "the log is configured with (KT_WITNESSES). Compare them with the keys you pinned out of band.",
  auth: "public",
  success: { status: 200, description: "The vkeys, one a line.", contentType: "text/plain; charset=utf-8" },
  errors: { 429: "Too many requests from this IP address." },
});

export const transparencyTile = defineEndpoint({
  ...API_ROUTES.transparencyTile,
  operationId: "getTransparencyTile",
  summary: "A tile of the key-transparency log (c2sp.org/tlog-tiles)",
  description:
    "`tile/{L}/{N}[.p/{W}]`: the RFC 6962 hashes at tree level 8·L, slots 256·N to 256·N + W − 1 (W = 256 when `.p/{W}` is absent), " +
    "32 bytes each. `tile/entries/{N}[.p/{W}]`: the log entries themselves (8-byte big-endian timestamp in ms, then the 32-byte prefix-tree root), " +
    "each prefixed with its uint16 length. N is written in groups of three digits, all but the last prefixed with `x` (`x001/234`). " +
    "Full tiles never change and are cached as immutable; a partial tile exists for every width the log has reached.",
  auth: "public",
  params: z.object({
    path: z.array(z.string()).meta({ description: "The tile's path under /api/kt/tile/, e.g. `0/x001/234.p/7` or `entries/000`." }),
  }),
  success: { status: 200, description: "The tile's bytes.", contentType: "application/octet-stream" },
  errors: { 404: "Not a tlog-tiles path, or the log has not reached that tile (or that width) yet.", 429: "Too many requests from this IP address." },
});

export const transparencyAudit = defineEndpoint({
  ...API_ROUTES.transparencyAudit,
  operationId: "getTransparencyEpochAudit",
  summary: "One epoch's prefix-tree changes, for auditors",
  description:
    "The epoch's log entry (`timestamp` in ms, `prefixRoot`) and every prefix-tree leaf it added (`searchKey`: the VRF output, `commitment`), " +
    "in ascending search-key order. Replaying every epoch from 0 must give each epoch's `prefixRoot`, and the log entries the checkpoint's root " +
    "(`npm run kt:audit` does). No label or value appears. Binary fields are base64.",
  auth: "public",
  params: z.object({
    epoch: z
      .string()
      .regex(/^(0|[1-9][0-9]{0,11})$/)
      .transform(Number)
      .meta({ description: "The epoch's index, from 0, in decimal." }),
  }),
  success: { status: 200, description: "The epoch's audit data.", schema: z.record(z.string(), z.unknown()) },
  errors: { 404: "No such epoch (yet).", 429: "Too many requests from this IP address." },
});

export const deleteAccount = defineEndpoint({
  ...API_ROUTES.deleteAccount,
  operationId: "deleteAccount",
  summary: "Delete the caller's account",
  description:
    "Deletes the whole account: profile, every device and session, every key (none is served afterwards), passkeys, codes and links. " +
    "The owner proves it is them with a fresh sign-in code (request one for the account's own address first); a wrong code counts " +
    "toward the usual lockout. A last notice goes to the account's address. Security records stay without anything that names the person.",
  auth: "bearer",
  body: accountDeletionSchema,
  success: { status: 204, description: "Deleted. Every token of the account is now refused." },
  errors: {
    400: `${INVALID_BODY} Also \`invalid_code\`: a wrong, expired or used code.`,
    401: UNAUTHORIZED,
    409: "`last_admin`: the account is the last active admin.",
    429: `${CALLER_LIMITED} Also: the address is locked after too many wrong codes.`,
  },
});

/** Every operation, in the order the documentation lists them. */
export const endpoints = [
  requestCode,
  exchangeToken,
  revokeToken,
  uploadKeys,
  countKeys,
  fetchBundles,
  listDevices,
  revokeDevice,
  findUserByUsername,
  lookUpPhoneNumbers,
  deleteAccount,
  transparencyCheckpoint,
  transparencySearch,
  transparencyMonitor,
  transparencyKeyList,
  transparencyTile,
  transparencyAudit,
  openApiDocument,
] as const;

// A small typed client for Latchkey's messaging-client API (docs/api.md). It only uses the global
// `fetch`, so it runs in Node, browsers and React Native alike, with no runtime dependencies.
import type {
  DeviceListResponse,
  KeyBundleResponse,
  KeyStatusResponse,
  KeyUploadRequest,
  PhoneLookupResponse,
  TokenResponse,
  UserIdResponse,
} from "./types.js";
import { transparencyVerifier, type MonitorReport, type PublishedDevice, type TransparencyOptions } from "./verified-keys.js";

/** Who a sign-in code goes to: an email address or a phone number (E.164). */
export type CodeRecipient = { email: string } | { phoneNumber: string };

/** An answer other than the expected success, with the API's error code and message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Seconds to wait before retrying, from Retry-After (429 only). */
    readonly retryAfter: number | null,
    /**
     * With code `second_factor_required` (401): the account has two-step verification on; pass this
     * to finishSecondFactor with the authenticator app's code or a recovery code within 5 minutes.
     */
    readonly challenge: string | null = null,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export type ClientOptions = {
  /** Where the app is served, e.g. "https://latchkey.example.com". */
  baseUrl: string;
  /** The bearer token from exchangeCode / exchangePassword. */
  token?: string;
  fetch?: typeof fetch;
  /**
   * Key transparency: with this set, fetchBundles also proves every served identity key against
   * the log (checkpoint signatures and cosigners per the policy, consistency with the stored
   * checkpoint, inclusion, VRF, ladder, commitment) and throws a TransparencyError when it fails.
   */
  transparency?: TransparencyOptions;
};

export type LatchkeyClient = ReturnType<typeof createLatchkeyClient>;

export function createLatchkeyClient(options: ClientOptions) {
  const send = options.fetch ?? fetch;

  async function call<T>(method: string, path: string, expected: number, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: "application/json" };
    if (body !== undefined) headers["content-type"] = "application/json";
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    const response = await send(new URL(path, options.baseUrl), {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.status !== expected) throw await apiErrorFrom(response);
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  const segment = encodeURIComponent;
  const transparency = options.transparency ? transparencyVerifier(options.transparency, (path, body) => call<unknown>("POST", path, 200, body)) : null;
  const requireTransparency = () => {
    if (!transparency) throw new Error("monitor needs the client's `transparency` option");
    return transparency;
  };

  return {
    /** POST /api/auth/code: sends a sign-in code (same answer whether or not the account exists). */
    requestCode: (recipient: CodeRecipient) => call<void>("POST", "/api/auth/code", 202, recipient),
    /** POST /api/auth/token with a code: a new device and its bearer token. */
    exchangeCode: (input: CodeRecipient & { code: string; deviceName: string }) =>
      call<TokenResponse>("POST", "/api/auth/token", 201, input),
    /** POST /api/auth/token with a password. */
    exchangePassword: (input: { email: string; password: string; deviceName: string }) =>
      call<TokenResponse>("POST", "/api/auth/token", 201, input),
    /**
     * POST /api/auth/token, second request: after exchangeCode or exchangePassword failed with an
     * ApiError whose code is `second_factor_required`, its `challenge` and the app's current code
     * (`totp`) or a recovery code give the device and token.
     */
    finishSecondFactor: (input: { challenge: string; totp: string } | { challenge: string; recoveryCode: string }) =>
      call<TokenResponse>("POST", "/api/auth/token", 201, input),
    /** DELETE /api/auth/token: this client's token stops working. */
    revokeToken: () => call<void>("DELETE", "/api/auth/token", 204),
    /** PUT /api/keys: uploads this device's identity, signed prekey and one-time keys. */
    uploadKeys: (upload: KeyUploadRequest) => call<void>("PUT", "/api/keys", 204, upload),
    /** GET /api/keys/count: unclaimed one-time keys of this device. */
    countKeys: () => call<KeyStatusResponse>("GET", "/api/keys/count", 200),
    /** GET /api/keys/{userId}/{deviceId|*}: claims prekey bundles of another user's devices. */
    fetchBundles: async (userId: string, deviceId: string | "*" = "*") => {
      const bundles = await call<KeyBundleResponse>("GET", `/api/keys/${segment(userId)}/${segment(deviceId)}`, 200);
      await transparency?.verifyDevices(userId, bundles.devices);
      return bundles;
    },
    /**
     * POST /api/kt/monitor (needs `transparency`): every published version of the caller's own
     * device keys after `since` (null: all), proved, with the devices in each that are not among
     * `knownDevices` (the account's own devices as the app knows them): a key added behind the
     * owner's back shows up there, with the epoch and time it appeared. Store `version` for next time.
     */
    monitor: (input: { userId: string; since: number | null; knownDevices: readonly PublishedDevice[] }): Promise<MonitorReport> => requireTransparency().monitor(input),
    /** GET /api/devices: the user's active devices. */
    listDevices: () => call<DeviceListResponse>("GET", "/api/devices", 200),
    /** DELETE /api/devices/{deviceId}: revokes one of the user's devices and deletes its keys. */
    revokeDevice: (deviceId: string) => call<void>("DELETE", `/api/devices/${segment(deviceId)}`, 204),
    /** GET /api/users/by-username/{username}: the user's id (404 when unknown or not discoverable). */
    findByUsername: (username: string) =>
      call<UserIdResponse>("GET", `/api/users/by-username/${segment(username)}`, 200),
    /** POST /api/users/lookup: which of these phone numbers belong to discoverable users. */
    lookUpPhoneNumbers: (phoneNumbers: string[]) =>
      call<PhoneLookupResponse>("POST", "/api/users/lookup", 200, { phoneNumbers }),
    /**
     * DELETE /api/account: deletes the whole account. `code` is a sign-in code just requested with
     * requestCode for the account's own address; every token of the account stops working.
     */
    deleteAccount: (code: string) => call<void>("DELETE", "/api/account", 204, { code }),
  };
}

async function apiErrorFrom(response: Response): Promise<ApiError> {
  const retryAfter = response.headers.get("retry-after");
  const text = await response.text();
  let code = `http_${response.status}`;
  let message = text || response.statusText;
  let challenge: string | null = null;
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown; challenge?: unknown } };
    if (typeof body.error?.code === "string") code = body.error.code;
    if (typeof body.error?.message === "string") message = body.error.message;
    if (typeof body.error?.challenge === "string") challenge = body.error.challenge;
  } catch {
    // Not a JSON error body (a proxy's answer, say): keep the raw text.
  }
  return new ApiError(response.status, code, message, retryAfter === null ? null : Number(retryAfter), challenge);
}

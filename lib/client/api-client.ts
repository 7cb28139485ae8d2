// A small typed client for Latchkey's messaging-client API (docs/api.md). It only uses `fetch`
// and type imports, so it runs in Node, browsers and React Native alike.
import type { DeviceListResponse, TokenResponse } from "../api/schemas";
import type { KeyBundleResponse, KeyCountResponse, KeyUploadRequest } from "../keys/formats";

export type { DeviceListResponse, KeyBundleResponse, KeyCountResponse, KeyUploadRequest, TokenResponse };

/** An answer other than the expected success, with the API's error code and message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Seconds to wait before retrying, from Retry-After (429 only). */
    readonly retryAfter: number | null,
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

  return {
    /** POST /api/auth/code: mails a sign-in code (same answer whether or not the account exists). */
    requestCode: (email: string) => call<void>("POST", "/api/auth/code", 202, { email }),
    /** POST /api/auth/token with a code: a new device and its bearer token. */
    exchangeCode: (input: { email: string; code: string; deviceName: string }) =>
      call<TokenResponse>("POST", "/api/auth/token", 201, input),
    /** POST /api/auth/token with a password. */
    exchangePassword: (input: { email: string; password: string; deviceName: string }) =>
      call<TokenResponse>("POST", "/api/auth/token", 201, input),
    /** DELETE /api/auth/token: this client's token stops working. */
    revokeToken: () => call<void>("DELETE", "/api/auth/token", 204),
    /** PUT /api/keys: uploads this device's identity, signed prekey and one-time keys. */
    uploadKeys: (upload: KeyUploadRequest) => call<void>("PUT", "/api/keys", 204, upload),
    /** GET /api/keys/count: unclaimed one-time keys of this device. */
    countKeys: () => call<KeyCountResponse>("GET", "/api/keys/count", 200),
    /** GET /api/keys/{userId}/{deviceId|*}: claims prekey bundles of another user's devices. */
    fetchBundles: (userId: string, deviceId: string | "*" = "*") =>
      call<KeyBundleResponse>("GET", `/api/keys/${segment(userId)}/${segment(deviceId)}`, 200),
    /** GET /api/devices: the user's active devices. */
    listDevices: () => call<DeviceListResponse>("GET", "/api/devices", 200),
    /** DELETE /api/devices/{deviceId}: revokes one of the user's devices and deletes its keys. */
    revokeDevice: (deviceId: string) => call<void>("DELETE", `/api/devices/${segment(deviceId)}`, 204),
  };
}

async function apiErrorFrom(response: Response): Promise<ApiError> {
  const retryAfter = response.headers.get("retry-after");
  const text = await response.text();
  let code = `http_${response.status}`;
  let message = text || response.statusText;
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    if (typeof body.error?.code === "string") code = body.error.code;
    if (typeof body.error?.message === "string") message = body.error.message;
  } catch {
    // Not a JSON error body (a proxy's answer, say): keep the raw text.
  }
  return new ApiError(response.status, code, message, retryAfter === null ? null : Number(retryAfter));
}

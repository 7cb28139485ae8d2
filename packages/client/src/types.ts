// Request and response bodies of the API as a client sees them (JSON: strings, not bytes). They
// are written here, not imported, so the package has no server code in it; lib/api/client-contract.ts
// makes `npm test`'s type check fail when they drift from the schemas lib/openapi.ts documents.

export type TokenResponse = { userId: string; deviceId: string; token: string; expiresAt: string };

export type Device = {
  deviceId: string;
  name: string;
  kind: "BROWSER" | "CLIENT";
  current: boolean;
  registrationId: number | null;
  createdAt: string;
  lastSeenAt: string | null;
};

export type DeviceListResponse = { devices: Device[] };

type PreKeyUpload = { keyId: number; publicKey: string };
type SignedPreKeyUpload = { keyId: number; publicKey: string; signature: string };

export type KeyUploadRequest = {
  identityKey: string;
  registrationId: number;
  signedPreKey?: SignedPreKeyUpload;
  preKeys?: PreKeyUpload[];
  pqPreKeys?: SignedPreKeyUpload[];
  pqLastResortPreKey?: SignedPreKeyUpload;
};

/** GET /api/keys/count: the stock of one-time keys, and the ages that tell a client when to rotate. */
export type KeyStatusResponse = {
  preKeys: number;
  pqPreKeys: number;
  signedPreKeyAgeSeconds: number | null;
  hasPqLastResortPreKey: boolean;
  pqLastResortPreKeyAgeSeconds: number | null;
  claimsThrottled: boolean;
  preKeysClaimedLastHour: number;
  pqPreKeysClaimedLastHour: number;
};

export type DeviceKeyBundle = {
  deviceId: string;
  registrationId: number;
  identityKey: string;
  signedPreKey: SignedPreKeyUpload;
  preKey: PreKeyUpload | null;
  pqPreKey: SignedPreKeyUpload;
  /** The key-transparency epoch from which the log holds this identity key, or "pending" (absent from older servers). */
  transparencyEpoch?: number | "pending";
};

export type KeyBundleResponse = { userId: string; devices: DeviceKeyBundle[] };

/** GET /api/users/by-username/{username}. */
export type UserIdResponse = { userId: string };

/** POST /api/users/lookup: the numbers that belong to a discoverable account. */
export type PhoneLookupResponse = { matches: { phoneNumber: string; userId: string }[] };

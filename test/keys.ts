// Test-only: a real Signal client (libsignal) on each side of the key directory, so tests prove
// that what the directory accepts and serves is what clients produce and can build sessions from.
import { randomInt } from "node:crypto";
import {
  IdentityChange,
  IdentityKeyPair,
  IdentityKeyStore,
  KEMKeyPair,
  KEMPublicKey,
  KyberPreKeyRecord,
  PreKeyBundle,
  PreKeyRecord,
  PrivateKey,
  ProtocolAddress,
  PublicKey,
  SessionRecord,
  SignedPreKeyRecord,
  type KyberPreKeyStore,
  type PreKeyStore,
  type SessionStore,
  type SignedPreKeyStore,
} from "@signalapp/libsignal-client";
import { decodeBase64, encodeBase64 } from "../lib/keys/base64";
import { MAX_REGISTRATION_ID, type DeviceKeyBundle, type KeyUploadRequest } from "../lib/keys/formats";

/** One client device's keys: the body it uploads, and the private halves it keeps. */
export type ClientKeys = {
  upload: KeyUploadRequest;
  identityKeyPair: IdentityKeyPair;
  registrationId: number;
  preKeys: Map<number, PreKeyRecord>;
  signedPreKeys: Map<number, SignedPreKeyRecord>;
  /** One-time Kyber keys and the last-resort one (its id is `upload.pqLastResortPreKey.keyId`). */
  kyberPreKeys: Map<number, KyberPreKeyRecord>;
};

/**
 * Keys as a fresh libsignal client makes them: a signed prekey (id 1), one-time EC prekeys with ids
 * 1…preKeys, one-time Kyber prekeys with ids 1…pqPreKeys and a last-resort Kyber key after them.
 */
export function generateClientKeys(counts: { preKeys: number; pqPreKeys: number }): ClientKeys {
  const identityKeyPair = IdentityKeyPair.generate();
  const registrationId = randomInt(1, MAX_REGISTRATION_ID + 1);
  const now = Date.now();

  const preKeys = new Map<number, PreKeyRecord>();
  for (let id = 1; id <= counts.preKeys; id++) {
    const privateKey = PrivateKey.generate();
    preKeys.set(id, PreKeyRecord.new(id, privateKey.getPublicKey(), privateKey));
  }

  const signedPrivateKey = PrivateKey.generate();
  const signedPublicKey = signedPrivateKey.getPublicKey();
  const signedPreKey = SignedPreKeyRecord.new(
    1,
    now,
    signedPublicKey,
    signedPrivateKey,
    identityKeyPair.privateKey.sign(signedPublicKey.serialize()),
  );

  const kyberPreKeys = new Map<number, KyberPreKeyRecord>();
  const lastResortKeyId = counts.pqPreKeys + 1;
  for (let id = 1; id <= lastResortKeyId; id++) {
    const keyPair = KEMKeyPair.generate();
    const signature = identityKeyPair.privateKey.sign(keyPair.getPublicKey().serialize());
    kyberPreKeys.set(id, KyberPreKeyRecord.new(id, now, keyPair, signature));
  }

  const signedKeyJson = (record: SignedPreKeyRecord | KyberPreKeyRecord) => ({
    keyId: record.id(),
    publicKey: encodeBase64(record.publicKey().serialize()),
    signature: encodeBase64(record.signature()),
  });
  const oneTimeKyberKeys = [...kyberPreKeys.values()].filter((record) => record.id() !== lastResortKeyId);

  return {
    upload: {
      identityKey: encodeBase64(identityKeyPair.publicKey.serialize()),
      registrationId,
      signedPreKey: signedKeyJson(signedPreKey),
      preKeys: [...preKeys.values()].map((record) => ({
        keyId: record.id(),
        publicKey: encodeBase64(record.publicKey().serialize()),
      })),
      pqPreKeys: oneTimeKyberKeys.map(signedKeyJson),
      pqLastResortPreKey: signedKeyJson(kyberPreKeys.get(lastResortKeyId)!),
    },
    identityKeyPair,
    registrationId,
    preKeys,
    signedPreKeys: new Map([[1, signedPreKey]]),
    kyberPreKeys,
  };
}

function bytes(base64: string): Uint8Array<ArrayBuffer> {
  const decoded = decodeBase64(base64);
  if (!decoded) throw new Error(`not base64: ${base64}`);
  return decoded;
}

/**
 * The libsignal bundle for one device of a `GET /api/keys/…` answer. libsignal device ids are
 * small integers (1…127) while the directory's are UUIDs, so the caller picks the number.
 */
export function preKeyBundleFrom(device: DeviceKeyBundle, protocolDeviceId: number): PreKeyBundle {
  return PreKeyBundle.new(
    device.registrationId,
    protocolDeviceId,
    device.preKey?.keyId ?? null,
    device.preKey ? PublicKey.deserialize(bytes(device.preKey.publicKey)) : null,
    device.signedPreKey.keyId,
    PublicKey.deserialize(bytes(device.signedPreKey.publicKey)),
    bytes(device.signedPreKey.signature),
    PublicKey.deserialize(bytes(device.identityKey)),
    device.pqPreKey.keyId,
    KEMPublicKey.deserialize(bytes(device.pqPreKey.publicKey)),
    bytes(device.pqPreKey.signature),
  );
}

/**
 * Every store libsignal needs for one client, in memory. libsignal reaches stores by method name,
 * so one object serves as all of them; it extends IdentityKeyStore for getIdentityKeyPair.
 */
export class InMemorySignalStore
  extends IdentityKeyStore
  implements SessionStore, PreKeyStore, SignedPreKeyStore, KyberPreKeyStore
{
  private readonly sessions = new Map<string, SessionRecord>();
  private readonly identities = new Map<string, PublicKey>();
  private readonly preKeys: Map<number, PreKeyRecord>;
  private readonly signedPreKeys: Map<number, SignedPreKeyRecord>;
  private readonly kyberPreKeys: Map<number, KyberPreKeyRecord>;

  constructor(private readonly keys: ClientKeys) {
    super();
    this.preKeys = new Map(keys.preKeys);
    this.signedPreKeys = new Map(keys.signedPreKeys);
    this.kyberPreKeys = new Map(keys.kyberPreKeys);
  }

  async getIdentityKey() {
    return this.keys.identityKeyPair.privateKey;
  }
  async getLocalRegistrationId() {
    return this.keys.registrationId;
  }
  async saveIdentity(address: ProtocolAddress, key: PublicKey) {
    const known = this.identities.get(address.toString());
    this.identities.set(address.toString(), key);
    return known && !known.equals(key) ? IdentityChange.ReplacedExisting : IdentityChange.NewOrUnchanged;
  }
  // Trust on first use, as a client does before the user has compared safety numbers.
  async isTrustedIdentity(address: ProtocolAddress, key: PublicKey) {
    return this.identities.get(address.toString())?.equals(key) ?? true;
  }
  async getIdentity(address: ProtocolAddress) {
    return this.identities.get(address.toString()) ?? null;
  }

  async saveSession(address: ProtocolAddress, record: SessionRecord) {
    this.sessions.set(address.toString(), record);
  }
  async getSession(address: ProtocolAddress) {
    return this.sessions.get(address.toString()) ?? null;
  }
  async getExistingSessions(addresses: ProtocolAddress[]) {
    return addresses.map((address) => {
      const session = this.sessions.get(address.toString());
      if (!session) throw new Error(`no session for ${address.toString()}`);
      return session;
    });
  }

  async savePreKey(id: number, record: PreKeyRecord) {
    this.preKeys.set(id, record);
  }
  async getPreKey(id: number) {
    return found(this.preKeys.get(id), `prekey ${id}`);
  }
  async removePreKey(id: number) {
    this.preKeys.delete(id);
  }

  async saveSignedPreKey(id: number, record: SignedPreKeyRecord) {
    this.signedPreKeys.set(id, record);
  }
  async getSignedPreKey(id: number) {
    return found(this.signedPreKeys.get(id), `signed prekey ${id}`);
  }

  async saveKyberPreKey(id: number, record: KyberPreKeyRecord) {
    this.kyberPreKeys.set(id, record);
  }
  async getKyberPreKey(id: number) {
    return found(this.kyberPreKeys.get(id), `Kyber prekey ${id}`);
  }
  // A one-time key is gone once used; the last-resort key stays, since every sender may get it.
  async markKyberPreKeyUsed(id: number) {
    if (id !== this.keys.upload.pqLastResortPreKey?.keyId) this.kyberPreKeys.delete(id);
  }
}

function found<T>(record: T | undefined, what: string): T {
  if (!record) throw new Error(`${what} not found`);
  return record;
}

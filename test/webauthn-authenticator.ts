import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from "node:crypto";
import { isoCBOR } from "@simplewebauthn/server/helpers";
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from "@simplewebauthn/server";

// A software passkey for the ceremony tests (not a test file itself): a real P-256 key pair and
// byte-exact authenticatorData, clientDataJSON, "none" attestation and ECDSA assertions, so the
// server's verification runs unmodified against them.

const FLAG_USER_PRESENT = 0x01;
const FLAG_USER_VERIFIED = 0x04;
const FLAG_BACKUP_ELIGIBLE = 0x08;
const FLAG_BACKED_UP = 0x10;
const FLAG_ATTESTED_CREDENTIAL = 0x40;

const b64url = (bytes: Uint8Array | Buffer) => Buffer.from(bytes).toString("base64url");
const sha256 = (data: Uint8Array | string) => createHash("sha256").update(data).digest();
const uint32 = (value: number) => {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32BE(value);
  return buffer;
};

export type SoftPasskeyOptions = { origin?: string; rpId?: string; aaguid?: string; synced?: boolean; userVerified?: boolean };

export class SoftPasskey {
  readonly credentialId = randomBytes(32);
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;
  /** The user handle the server gave at registration (sent back with each assertion). */
  userHandle: string | undefined;
  counter = 0;

  constructor(private readonly options: SoftPasskeyOptions = {}) {
    ({ privateKey: this.privateKey, publicKey: this.publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" }));
  }

  get id(): string {
    return b64url(this.credentialId);
  }

  private origin(): string {
    return this.options.origin ?? "http://localhost:3000";
  }

  private authenticatorData(rpId: string, extraFlags: number, rest: Buffer = Buffer.alloc(0)): Buffer {
    let flags = FLAG_USER_PRESENT | extraFlags;
    if (this.options.userVerified !== false) flags |= FLAG_USER_VERIFIED;
    if (this.options.synced) flags |= FLAG_BACKUP_ELIGIBLE | FLAG_BACKED_UP;
    return Buffer.concat([sha256(this.options.rpId ?? rpId), Buffer.from([flags]), uint32(this.counter), rest]);
  }

  private coseKey(): Uint8Array {
    const jwk = this.publicKey.export({ format: "jwk" });
    return isoCBOR.encode(
      new Map<number, number | Uint8Array>([
        [1, 2], // kty: EC2
        [3, -7], // alg: ES256
        [-1, 1], // crv: P-256
        [-2, Buffer.from(jwk.x!, "base64url")],
        [-3, Buffer.from(jwk.y!, "base64url")],
      ]),
    );
  }

  /** Answers navigator.credentials.create() for `options`. */
  register(options: PublicKeyCredentialCreationOptionsJSON): RegistrationResponseJSON {
    this.userHandle = options.user.id;
    const clientDataJSON = Buffer.from(JSON.stringify({ type: "webauthn.create", challenge: options.challenge, origin: this.origin(), crossOrigin: false }));
    const aaguid = Buffer.from((this.options.aaguid ?? "00000000-0000-0000-0000-000000000000").replace(/-/g, ""), "hex");
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(this.credentialId.length);
    const attested = Buffer.concat([aaguid, idLength, this.credentialId, Buffer.from(this.coseKey())]);
    const authData = this.authenticatorData(options.rp.id!, FLAG_ATTESTED_CREDENTIAL, attested);
    const attestationObject = isoCBOR.encode(new Map<string, unknown>([["fmt", "none"], ["attStmt", new Map()], ["authData", authData]]) as never);
    return {
      id: this.id,
      rawId: this.id,
      type: "public-key",
      response: { clientDataJSON: b64url(clientDataJSON), attestationObject: b64url(attestationObject), transports: ["internal"] },
      clientExtensionResults: {},
      authenticatorAttachment: "platform",
    };
  }

  /** Answers navigator.credentials.get() for `options`; the counter moves first unless `counter` is given. */
  assert(options: PublicKeyCredentialRequestOptionsJSON, overrides: { counter?: number; userHandle?: string | null } = {}): AuthenticationResponseJSON {
    this.counter = overrides.counter ?? this.counter + 1;
    const clientDataJSON = Buffer.from(JSON.stringify({ type: "webauthn.get", challenge: options.challenge, origin: this.origin(), crossOrigin: false }));
    const authData = this.authenticatorData(options.rpId!, 0);
    const signature = sign("sha256", Buffer.concat([authData, sha256(clientDataJSON)]), this.privateKey);
    const userHandle = overrides.userHandle === null ? undefined : (overrides.userHandle ?? this.userHandle);
    return {
      id: this.id,
      rawId: this.id,
      type: "public-key",
      response: { clientDataJSON: b64url(clientDataJSON), authenticatorData: b64url(authData), signature: b64url(signature), userHandle },
      clientExtensionResults: {},
      authenticatorAttachment: "platform",
    };
  }
}

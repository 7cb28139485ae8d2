/**
 * The log's keys and origin (ADR 0060): the Ed25519 note key that signs checkpoints (KT_LOG_KEY)
 * and the VRF key that places labels in the prefix tree (KT_VRF_KEY). The origin line is APP_URL's
 * host followed by `/kt`, so two deployments never share checkpoints.
 */
import { noteSigner, parseSkey, SIGNATURE_TYPE_ED25519, vrfKeygen, type NoteSigner } from "../../packages/client/src/transparency/index";
import { env, InvalidEnvironmentError } from "../env";
import { AppError } from "../errors";

export interface TransparencyKeys {
  origin: string;
  signer: NoteSigner;
  logVkey: string;
  vrfSecretKey: Uint8Array;
  vrfPublicKey: Uint8Array;
}

export function transparencyOrigin(appUrl: string = env().APP_URL): string {
  return `${new URL(appUrl).host}/kt`;
}

let derived: TransparencyKeys | undefined;

/**
 * The keys, derived once per process (env() is read once too): searches and monitoring ask for
 * them per request and per version proved, and deriving the VRF key is a scalar multiplication.
 */
export function transparencyKeys(): TransparencyKeys {
  derived ??= deriveTransparencyKeys();
  return derived;
}

function deriveTransparencyKeys(): TransparencyKeys {
  const { KT_LOG_KEY, KT_VRF_KEY } = env();
  // A deployment without the keys runs without key transparency (instrumentation.ts says so at
  // start): its routes answer that, not a 500 (attack F1).
  if (!KT_LOG_KEY || !KT_VRF_KEY) throw new AppError("transparency_off", "Key transparency is not set up on this server (KT_LOG_KEY and KT_VRF_KEY).", 404);
  const log = parseSkey(KT_LOG_KEY);
  if (log.type !== SIGNATURE_TYPE_ED25519) throw new InvalidEnvironmentError("KT_LOG_KEY must be an Ed25519 note key (type 0x01).");
  const vrf = vrfKeygen(new Uint8Array(Buffer.from(KT_VRF_KEY, "base64")));
  return {
    origin: transparencyOrigin(),
    signer: noteSigner(log.name, log.type, log.secretKey),
    logVkey: log.vkey,
    vrfSecretKey: vrf.secretKey,
    vrfPublicKey: vrf.publicKey,
  };
}

/** The verifier keys a reader of the log needs, as C2SP vkeys: the log's own, then each configured witness's and auditor's. */
export function transparencyVkeys(): string[] {
  return [transparencyKeys().logVkey, ...env().KT_WITNESSES.map((witness) => witness.vkey)];
}

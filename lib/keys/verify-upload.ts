import type { KeyUpload } from "./formats";
import { verifyXEdDSA } from "./xeddsa";

export type UploadSignatureCheck = { ok: true } | { ok: false; failed: string };

type SignedKey = { publicKey: Uint8Array; signature: Uint8Array };

/**
 * Checks every signature in a parsed upload against the device's identity key; `failed` names the
 * first bad key by its place in the body ("pqPreKeys[3]") so the client can find it. A signature
 * covers the whole serialized key, type byte included, exactly as libsignal signs and verifies it.
 */
export function verifyUploadSignatures(identityKey: Uint8Array, upload: KeyUpload): UploadSignatureCheck {
  const signedKeys: Array<[string, SignedKey]> = [];
  if (upload.signedPreKey) signedKeys.push(["signedPreKey", upload.signedPreKey]);
  upload.pqPreKeys?.forEach((key, index) => signedKeys.push([`pqPreKeys[${index}]`, key]));
  if (upload.pqLastResortPreKey) signedKeys.push(["pqLastResortPreKey", upload.pqLastResortPreKey]);

  const failed = signedKeys.find(([, key]) => !verifyXEdDSA(identityKey, key.publicKey, key.signature));
  return failed ? { ok: false, failed: failed[0] } : { ok: true };
}

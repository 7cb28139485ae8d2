import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import type { KeyUpload } from "./formats";
import { xeddsaVerifier } from "./xeddsa";

type UploadSignatureCheck = { ok: true } | { ok: false; failed: string };

type SignedKey = { publicKey: Uint8Array; signature: Uint8Array };

/** Signatures checked between two yields to the event loop: about 2 ms of work at ~0.2 ms each. */
const SIGNATURES_PER_SLICE = 8;

/**
 * Checks every signature in a parsed upload against the device's identity key; `failed` names the
 * first bad key by its place in the body ("pqPreKeys[3]") so the client can find it. A signature
 * covers the whole serialized key, type byte included, exactly as libsignal signs and verifies it.
 * A full upload is ~100 signatures: the check yields between slices so other requests keep being
 * answered while it runs.
 */
export async function verifyUploadSignatures(identityKey: Uint8Array, upload: KeyUpload): Promise<UploadSignatureCheck> {
  const signedKeys: Array<[string, SignedKey]> = [];
  if (upload.signedPreKey) signedKeys.push(["signedPreKey", upload.signedPreKey]);
  upload.pqPreKeys?.forEach((key, index) => signedKeys.push([`pqPreKeys[${index}]`, key]));
  if (upload.pqLastResortPreKey) signedKeys.push(["pqLastResortPreKey", upload.pqLastResortPreKey]);

  const verify = xeddsaVerifier(identityKey);
  for (const [index, [name, key]] of signedKeys.entries()) {
    if (index > 0 && index % SIGNATURES_PER_SLICE === 0) await yieldToEventLoop();
    if (!verify(key.publicKey, key.signature)) return { ok: false, failed: name };
  }
  return { ok: true };
}

// Key transparency keys for development and tests, where nobody configured them: `npm run dev`
// keeps them in .data/ (so the log survives restarts), a test run makes fresh ones.
import { bytesToBase64, generateNoteKey, SIGNATURE_TYPE_ED25519 } from "../../packages/client/src/transparency/index";
import { randomBytes } from "node:crypto";
import { localSecret } from "../db/local-server";
import { transparencyOrigin } from "./keys";

type Source = Record<string, string | undefined>;

function newLogKey(source: Source): string {
  return generateNoteKey(transparencyOrigin(source.APP_URL ?? "http://localhost:3000"), SIGNATURE_TYPE_ED25519).skey;
}

function newVrfKey(): string {
  return bytesToBase64(new Uint8Array(randomBytes(32)));
}

/** KT_LOG_KEY and KT_VRF_KEY as set in `source`, or freshly made. */
export function generateTransparencyKeys(source: Source): { KT_LOG_KEY: string; KT_VRF_KEY: string } {
  return { KT_LOG_KEY: source.KT_LOG_KEY || newLogKey(source), KT_VRF_KEY: source.KT_VRF_KEY || newVrfKey() };
}

/** KT_LOG_KEY and KT_VRF_KEY as set in `source`, or kept in .data/kt-log-key and .data/kt-vrf-key. */
export async function localTransparencyKeys(source: Source): Promise<{ KT_LOG_KEY: string; KT_VRF_KEY: string }> {
  return {
    KT_LOG_KEY: source.KT_LOG_KEY || (await localSecret("kt-log-key", () => newLogKey(source))),
    KT_VRF_KEY: source.KT_VRF_KEY || (await localSecret("kt-vrf-key", newVrfKey)),
  };
}

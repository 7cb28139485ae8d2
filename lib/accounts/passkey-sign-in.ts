import type { AuthenticationResponseJSON, PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import { passkeyRequestOptions, verifyPasskeyAssertion } from "../passkeys/authentication";
import type { RequestContext } from "../request-context";
import { signInBrowserAfter, type BrowserSignIn } from "./browser-sign-in";

/** The challenge for "Sign in with a passkey" and for passkey autofill: the same for everyone. */
export function startPasskeySignIn(): Promise<PublicKeyCredentialRequestOptionsJSON> {
  return passkeyRequestOptions({ ceremony: "SIGN_IN", userId: null });
}

/**
 * Browser sign-in with a passkey: the assertion names the account (its credential and user
 * handle), and the sign-in then goes exactly like a password or code sign-in — device reused or
 * created, a BROWSER session, a single-use ticket for next-auth, the profile gate as destination.
 */
export async function signInWithPasskey(
  input: { response: AuthenticationResponseJSON; browserKey?: string | null },
  context: RequestContext,
): Promise<BrowserSignIn> {
  const { userId } = await verifyPasskeyAssertion(input.response, { ceremony: "SIGN_IN", userId: null }, context);
  // A passkey used with user verification is something you have and something you are (or know):
  // both factors at once, so no authenticator step follows (ADR 0072).
  return signInBrowserAfter(async () => ({ userId }), { browserKey: input.browserKey, context, factors: 2 });
}

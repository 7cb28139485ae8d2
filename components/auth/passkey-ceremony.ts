"use client";
import {
  browserSupportsWebAuthn,
  startAuthentication,
  startRegistration,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from "@simplewebauthn/browser";
import type { ActionResult } from "@/lib/actions";

// A passkey ceremony in the browser: the server action issues a challenge, the browser asks the
// authenticator, the second action verifies the answer. Null means nothing to report: the request
// was superseded by another one (autofill gives way to the button) or was autofill's own, so no
// message is shown.

type Ceremony<O, R> = { start: () => Promise<ActionResult<O>>; ask: (options: O) => Promise<R> };

const NOT_USED = "No passkey was used. Try again, or use another way.";

async function run<O, R, T>(
  ceremony: Ceremony<O, R>,
  finish: (response: R) => Promise<ActionResult<T>>,
  quiet = false,
): Promise<ActionResult<T> | null> {
  if (!browserSupportsWebAuthn()) return { ok: false, message: "This browser cannot use passkeys. Use another way, or another browser." };
  const options = await ceremony.start();
  if (!options.ok) return quiet ? null : options;
  let response: R;
  try {
    response = await ceremony.ask(options.data);
  } catch (error) {
    if (quiet || (error as { name?: string }).name === "AbortError") return null;
    const code = (error as { code?: string }).code;
    if (code === "ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED") return { ok: false, message: "This device already has a passkey for your account." };
    return { ok: false, message: NOT_USED };
  }
  return finish(response);
}

/** Uses a passkey (sign-in or confirmation); `autofill` waits for one picked from the field's suggestions. */
export function answerWithPasskey<T>(
  start: () => Promise<ActionResult<PublicKeyCredentialRequestOptionsJSON>>,
  finish: (response: AuthenticationResponseJSON) => Promise<ActionResult<T>>,
  autofill = false,
): Promise<ActionResult<T> | null> {
  // Autofill runs unasked in the background: its browser-side failures are nobody's concern.
  return run({ start, ask: (optionsJSON) => startAuthentication({ optionsJSON, useBrowserAutofill: autofill }) }, finish, autofill);
}

/** Creates a passkey on this device (or a phone, or a password manager) and registers it. */
export function createPasskey<T>(
  start: () => Promise<ActionResult<PublicKeyCredentialCreationOptionsJSON>>,
  finish: (response: RegistrationResponseJSON) => Promise<ActionResult<T>>,
): Promise<ActionResult<T> | null> {
  return run({ start, ask: (optionsJSON) => startRegistration({ optionsJSON }) }, finish);
}

"use server";
import { success, validatedAction } from "@/lib/actions";
import { requestCodeSignIn } from "@/lib/accounts/code-sign-in";
import { signInWithPassword } from "@/lib/accounts/password-sign-in";
import { signInWithPasskey, startPasskeySignIn } from "@/lib/accounts/passkey-sign-in";
import { authenticationResponseSchema } from "@/lib/passkeys/schemas";
import { z } from "zod";
import { ResendCooldownError } from "@/lib/verification/codes";
import { codeRequestSchema, passwordSignInSchema } from "@/lib/validation/auth";
import { currentBrowserKey, finishBrowserSignIn } from "../browser-device";
import { IP_LIMITS } from "@/lib/limits";

export const requestSignInCodeAction = validatedAction({ name: "sign-in-code" }, codeRequestSchema, async (input, context) => {
  try {
    await requestCodeSignIn(input.contact, context);
  } catch (error) {
    // A code went out moments ago and still works: go to it; the code page counts the wait down.
    if (!(error instanceof ResendCooldownError)) throw error;
  }
  return success({ to: input.contact.destination });
});

export const passwordSignInAction = validatedAction(
  { name: "sign-in-password", ipLimit: IP_LIMITS.signInAction },
  passwordSignInSchema,
  async (input, context) =>
    finishBrowserSignIn(
      signInWithPassword({ contact: input.contact, password: input.password, browserKey: await currentBrowserKey() }, context),
    ),
);

// Each page view asks for one challenge (passkey autofill waits on it), so the default per-IP
// allowance applies; answers are limited like password guesses.
export const startPasskeySignInAction = validatedAction({ name: "sign-in-passkey-start" }, z.object({}), async () =>
  success(await startPasskeySignIn()),
);

export const passkeySignInAction = validatedAction(
  { name: "sign-in-passkey", ipLimit: IP_LIMITS.signInAction },
  authenticationResponseSchema,
  async (input, context) => finishBrowserSignIn(signInWithPasskey({ response: input, browserKey: await currentBrowserKey() }, context)),
);

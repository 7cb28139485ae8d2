"use server";
import { success, validatedAction } from "@/lib/actions";
import { requestCodeSignIn, signInWithCode } from "@/lib/accounts/code-sign-in";
import { confirmSignUpCode, resendSignUpCode } from "@/lib/accounts/sign-up";
import { resendCodeSchema, verifyCodeSchema } from "@/lib/validation/auth";
import { currentBrowserKey, finishBrowserSignIn } from "../browser-device";

export const verifyCodeAction = validatedAction({ name: "verify-code" }, verifyCodeSchema, async (input, context) => {
  const attempt = { contact: input.contact, code: input.code, browserKey: await currentBrowserKey() };
  return finishBrowserSignIn(input.purpose === "signup" ? confirmSignUpCode(attempt, context) : signInWithCode(attempt, context));
});

export const resendCodeAction = validatedAction({ name: "resend-code" }, resendCodeSchema, async (input, context) => {
  if (input.purpose === "signup") await resendSignUpCode(input.contact, context);
  else await requestCodeSignIn(input.contact, context);
  return success(undefined, "We sent a new code. Codes sent before it no longer work.");
});

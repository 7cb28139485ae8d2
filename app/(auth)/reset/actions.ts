"use server";
import { success, validatedAction } from "@/lib/actions";
import { requestPasswordReset, resetPasswordWithCode, resetPasswordWithLink } from "@/lib/accounts/password-reset";
import { resetRequestSchema, resetWithCodeSchema, resetWithLinkSchema } from "@/lib/validation/auth";
import { secondFactorFromText } from "@/lib/two-step/two-step";
import { currentBrowserKey, finishBrowserSignIn } from "../browser-device";

export const requestResetAction = validatedAction({ name: "reset-request" }, resetRequestSchema, async (input, context) => {
  await requestPasswordReset(input, context);
  return success({ email: input.email });
});

export const resetWithCodeAction = validatedAction({ name: "reset-code" }, resetWithCodeSchema, async (input, context) =>
  finishBrowserSignIn(
    resetPasswordWithCode({ ...input, secondFactor: secondFactorFromText(input.secondFactor), browserKey: await currentBrowserKey() }, context),
  ),
);

export const resetWithLinkAction = validatedAction({ name: "reset-link" }, resetWithLinkSchema, async (input, context) =>
  finishBrowserSignIn(
    resetPasswordWithLink({ ...input, secondFactor: secondFactorFromText(input.secondFactor), browserKey: await currentBrowserKey() }, context),
  ),
);

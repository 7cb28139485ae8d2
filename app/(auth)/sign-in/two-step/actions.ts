"use server";
import { validatedAction } from "@/lib/actions";
import { finishTwoStepBrowserSignIn } from "@/lib/accounts/two-step-sign-in";
import { challengeExpired } from "@/lib/two-step/challenges";
import { IP_LIMITS } from "@/lib/limits";
import { recoveryCodeSchema, twoStepCodeSchema } from "@/lib/validation/auth";
import type { SecondFactor } from "@/lib/two-step/two-step";
import type { RequestContext } from "@/lib/request-context";
import { currentBrowserKey, currentTwoStepChallenge, finishBrowserSignIn } from "../../browser-device";

async function finish(factor: SecondFactor, context: RequestContext) {
  const challenge = await currentTwoStepChallenge();
  if (!challenge) throw challengeExpired();
  return finishBrowserSignIn(finishTwoStepBrowserSignIn({ challenge, factor, browserKey: await currentBrowserKey() }, context));
}

export const twoStepCodeAction = validatedAction({ name: "sign-in-two-step", ipLimit: IP_LIMITS.signInAction }, twoStepCodeSchema, (input, context) =>
  finish({ totp: input.code }, context),
);

export const recoveryCodeAction = validatedAction({ name: "sign-in-recovery-code", ipLimit: IP_LIMITS.signInAction }, recoveryCodeSchema, (input, context) =>
  finish({ recoveryCode: input.recoveryCode }, context),
);

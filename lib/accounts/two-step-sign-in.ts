import type { RequestContext } from "../request-context";
import { findTwoStepChallenge, spendTwoStepChallenge } from "../two-step/challenges";
import { checkSecondFactor, type SecondFactor } from "../two-step/two-step";
import { signInBrowserAfter, type BrowserSignIn, type SignInNotice } from "./browser-sign-in";

/**
 * The browser's authenticator step: the challenge its first factor left names the account; a
 * right second factor spends it and signs in exactly like any other sign-in (device, session,
 * ticket), in one transaction. Wrong answers are counted per requester and account, and a few
 * kill the challenge (lib/two-step, ADR 0087).
 */
export async function finishTwoStepBrowserSignIn(
  input: { challenge: string; factor: SecondFactor; browserKey?: string | null },
  context: RequestContext,
): Promise<BrowserSignIn> {
  const open = await findTwoStepChallenge(input.challenge, "BROWSER");
  await checkSecondFactor(open.userId, input.factor, context, { challenge: input.challenge });
  return signInBrowserAfter(
    async (tx) => {
      await spendTwoStepChallenge(tx, input.challenge);
      return { userId: open.userId, notice: (open.notice ?? undefined) as SignInNotice | undefined };
    },
    { browserKey: input.browserKey, context, factors: 2 },
  );
}

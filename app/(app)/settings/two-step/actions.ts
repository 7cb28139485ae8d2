"use server";
import { z } from "zod";
import { success, validatedActionWithSession } from "@/lib/actions";
import { IP_LIMITS } from "@/lib/limits";
import { confirmTwoStepSchema } from "@/lib/settings/schemas";
import { beginTwoStepSetup, finishTwoStepSetup, replaceOwnRecoveryCodes, turnOffOwnTwoStep } from "@/lib/settings/two-step";

export const startTwoStepSetupAction = validatedActionWithSession({ name: "settings-two-step-start" }, z.object({}), async (_input, session) =>
  success(await beginTwoStepSetup(session)),
);

export const confirmTwoStepSetupAction = validatedActionWithSession(
  { name: "settings-two-step-confirm", ipLimit: IP_LIMITS.confirmationAction },
  confirmTwoStepSchema,
  async (input, session, context) => success(await finishTwoStepSetup(session, input.code, context), "Two-step verification is on."),
);

export const regenerateRecoveryCodesAction = validatedActionWithSession({ name: "settings-two-step-codes" }, z.object({}), async (_input, session, context) =>
  success(await replaceOwnRecoveryCodes(session, context), "Here are your new recovery codes. The old ones no longer work."),
);

export const turnOffTwoStepAction = validatedActionWithSession({ name: "settings-two-step-off" }, z.object({}), async (_input, session, context) => {
  await turnOffOwnTwoStep(session, context);
  return success(undefined, "Two-step verification is off.");
});

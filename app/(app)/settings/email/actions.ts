"use server";
import { z } from "zod";
import { success, validatedActionWithSession } from "@/lib/actions";
import { cancelEmailChange, confirmEmailChange, requestEmailChange } from "@/lib/settings/email-change";
import { confirmChangeSchema, requestEmailChangeSchema } from "@/lib/settings/schemas";

export const requestEmailChangeAction = validatedActionWithSession(
  { name: "settings-email-request" },
  requestEmailChangeSchema,
  async (input, session) => {
    const { pendingEmail } = await requestEmailChange(session, input.email);
    return success({ pending: pendingEmail }, `We sent a code to ${pendingEmail}.`);
  },
);

export const confirmEmailChangeAction = validatedActionWithSession(
  { name: "settings-email-confirm" },
  confirmChangeSchema,
  async (input, session, context) => {
    const { email } = await confirmEmailChange(session, input.code, context);
    return success({ changed: email }, `Your email address is now ${email}.`);
  },
);

export const cancelEmailChangeAction = validatedActionWithSession({ name: "settings-email-cancel" }, z.object({}), async (_input, session, context) => {
  await cancelEmailChange(session, context);
  return success(undefined);
});

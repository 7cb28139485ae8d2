"use server";
import { z } from "zod";
import { success, validatedActionWithSession } from "@/lib/actions";
import { cancelPhoneChange, confirmPhoneChange, requestPhoneChange } from "@/lib/settings/phone-change";
import { confirmChangeSchema, requestPhoneChangeSchema } from "@/lib/settings/schemas";

export const requestPhoneChangeAction = validatedActionWithSession(
  { name: "settings-phone-request" },
  requestPhoneChangeSchema,
  async (input, session) => {
    const { pendingPhone } = await requestPhoneChange(session, input.phone);
    return success({ pending: pendingPhone }, `We sent a code to ${pendingPhone}.`);
  },
);

export const confirmPhoneChangeAction = validatedActionWithSession(
  { name: "settings-phone-confirm" },
  confirmChangeSchema,
  async (input, session, context) => {
    const { phoneNumber } = await confirmPhoneChange(session, input.code, context);
    return success({ changed: phoneNumber }, `Your phone number is now ${phoneNumber}.`);
  },
);

export const cancelPhoneChangeAction = validatedActionWithSession({ name: "settings-phone-cancel" }, z.object({}), async (_input, session, context) => {
  await cancelPhoneChange(session, context);
  return success(undefined);
});

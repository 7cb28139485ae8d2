"use server";
import { success, validatedActionWithSession } from "@/lib/actions";
import { changePassword } from "@/lib/settings/password";
import { changePasswordSchema } from "@/lib/settings/schemas";
import { IP_LIMITS } from "@/lib/limits";

export const changePasswordAction = validatedActionWithSession(
  { name: "settings-password", ipLimit: IP_LIMITS.confirmationAction },
  changePasswordSchema,
  async (input, session, context) => {
    const { kind, sessionsEnded } = await changePassword(session, input, context);
    const others =
      sessionsEnded === 0 ? "No other sessions were" : sessionsEnded === 1 ? "1 other session was" : `${sessionsEnded} other sessions were`;
    return success(undefined, `Your password was ${kind}. ${others} signed out.`);
  },
);

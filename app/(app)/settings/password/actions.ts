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
    // With nothing else signed in, say so: "No other sessions were signed out" under the hint
    // "every other session will be signed out" read as a contradiction (issue 25).
    const others =
      sessionsEnded === 0
        ? "You were not signed in anywhere else."
        : sessionsEnded === 1
          ? "1 other session was signed out."
          : `${sessionsEnded} other sessions were signed out.`;
    return success(undefined, `Your password was ${kind}. ${others}`);
  },
);

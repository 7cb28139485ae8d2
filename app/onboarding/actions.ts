"use server";
import { z } from "zod";
import { success, validatedActionWithSession } from "@/lib/actions";
import { checkUsernameAvailable, saveProfile } from "@/lib/accounts/profile";
import { findUserByUsername } from "@/lib/api/endpoints";
import { callerAllowancesOf } from "@/lib/api/route";
import { onboardingSchema, usernameSchema } from "@/lib/validation/profile";
import { IP_LIMITS } from "@/lib/limits";

export const completeProfileAction = validatedActionWithSession({ name: "complete-profile" }, onboardingSchema, async (input, session, context) => {
  await saveProfile(session.userId, input, context);
  return success(undefined);
});

export const checkUsernameAction = validatedActionWithSession(
  { name: "check-username", ipLimit: IP_LIMITS.usernameCheckAction },
  z.object({ username: usernameSchema }),
  // Charged like a username lookup by this browser's device and account (the per-account budget is
  // the API's own), so the check is no cheaper way to learn who exists.
  async (input, session) =>
    success({ available: await checkUsernameAvailable(input.username, session.userId, callerAllowancesOf(findUserByUsername, session)) }),
);

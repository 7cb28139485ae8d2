"use server";
import { z } from "zod";
import { success, validatedActionWithSession } from "@/lib/actions";
import { saveProfile, isUsernameAvailable } from "@/lib/accounts/profile";
import { onboardingSchema, usernameSchema } from "@/lib/validation/profile";
import { IP_LIMITS } from "@/lib/limits";

export const completeProfileAction = validatedActionWithSession({ name: "complete-profile" }, onboardingSchema, async (input, session, context) => {
  await saveProfile(session.userId, input, context);
  return success(undefined);
});

export const checkUsernameAction = validatedActionWithSession(
  { name: "check-username", ipLimit: IP_LIMITS.usernameCheckAction },
  z.object({ username: usernameSchema }),
  async (input, session) => success({ available: await isUsernameAvailable(input.username, session.userId) }),
);

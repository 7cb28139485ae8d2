"use server";
import { z } from "zod";
import { success, validatedActionWithSession } from "@/lib/actions";
import { completeProfile, isUsernameAvailable } from "@/lib/accounts/profile";
import { profileSchema, usernameSchema } from "@/lib/validation/profile";
import { IP_LIMITS } from "@/lib/limits";

export const completeProfileAction = validatedActionWithSession({ name: "complete-profile" }, profileSchema, async (input, session, context) => {
  await completeProfile(session.userId, input, context);
  return success(undefined);
});

export const checkUsernameAction = validatedActionWithSession(
  { name: "check-username", ipLimit: IP_LIMITS.usernameCheckAction },
  z.object({ username: usernameSchema }),
  async (input, session) => success({ available: await isUsernameAvailable(input.username, session.userId) }),
);

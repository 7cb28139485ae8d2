"use server";
import { z } from "zod";
import { success, validatedActionWithSession } from "@/lib/actions";
import { completeProfile, isUsernameAvailable } from "@/lib/accounts/profile";
import { profileSchema, usernameSchema } from "@/lib/validation/profile";

export const completeProfileAction = validatedActionWithSession({ name: "complete-profile" }, profileSchema, async (input, session, context) => {
  await completeProfile(session.userId, input, context);
  return success(undefined);
});

export const checkUsernameAction = validatedActionWithSession(
  { name: "check-username", ipLimit: { burst: 60, perSeconds: 1 } },
  z.object({ username: usernameSchema }),
  async (input, session) => success({ available: await isUsernameAvailable(input.username, session.userId) }),
);

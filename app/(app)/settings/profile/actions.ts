"use server";
import { success, validatedActionWithSession } from "@/lib/actions";
import { saveProfile } from "@/lib/accounts/profile";
import { profileSchema } from "@/lib/validation/profile";

export const updateProfileAction = validatedActionWithSession({ name: "update-profile" }, profileSchema, async (input, session, context) => {
  await saveProfile(session.userId, input, context);
  return success(undefined, "Your profile was saved.");
});

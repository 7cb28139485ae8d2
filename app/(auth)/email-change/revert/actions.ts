"use server";
import { success, validatedAction } from "@/lib/actions";
import { revertEmailChange } from "@/lib/settings/email-change";
import { revertEmailChangeSchema } from "@/lib/settings/schemas";
import { IP_LIMITS } from "@/lib/limits";

// No session needed: the link itself, mailed to the old address, is the proof. It may well be
// opened where nobody is signed in, or after an intruder changed the password.
export const revertEmailChangeAction = validatedAction(
  { name: "email-change-revert", ipLimit: IP_LIMITS.confirmationAction },
  revertEmailChangeSchema,
  async (input, context) => {
    const { email } = await revertEmailChange(input.token, context);
    // An account that had no address before gets none back: the one added is simply gone.
    const message = email ? `Your address ${email} is back, and every device was signed out.` : "The added address is gone, and every device was signed out.";
    return success({ email }, message);
  },
);

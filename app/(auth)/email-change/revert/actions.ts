"use server";
import { success, validatedAction } from "@/lib/actions";
import { revertContactChange } from "@/lib/settings/contact-revert";
import { revertContactChangeSchema } from "@/lib/settings/schemas";
import { IP_LIMITS } from "@/lib/limits";

// No session needed: the link itself, sent to the old address or number, is the proof. It may well
// be opened where nobody is signed in, or after an intruder changed the password.
export const revertContactChangeAction = validatedAction(
  { name: "email-change-revert", ipLimit: IP_LIMITS.confirmationAction },
  revertContactChangeSchema,
  async (input, context) => {
    const { email, phoneNumber } = await revertContactChange(input.token, input.keep, context);
    // An account that had no address before gets none back: the one added is simply gone.
    const message = email
      ? `Your address ${email} is back, and every device was signed out.`
      : phoneNumber
        ? `Your number ${phoneNumber} is back, and every device was signed out.`
        : "The changes are undone, and every device was signed out.";
    return success({ email }, message);
  },
);

"use server";
import { success, validatedActionWithSession } from "@/lib/actions";
import { deleteOwnAccount } from "@/lib/accounts/delete-account";
import { deleteAccountSchema } from "@/lib/validation/account-deletion";
import { IP_LIMITS } from "@/lib/limits";

export const deleteAccountAction = validatedActionWithSession(
  { name: "settings-delete-account", ipLimit: IP_LIMITS.accountDeletionAction },
  deleteAccountSchema,
  async (input, session, context) => {
    await deleteOwnAccount(session, input, context);
    return success(undefined, "Your account was deleted.");
  },
);

"use server";
import { success, validatedActionWithSession } from "@/lib/actions";
import { deleteOwnAccount } from "@/lib/accounts/delete-account";
import { deleteAccountSchema } from "@/lib/validation/account-deletion";

export const deleteAccountAction = validatedActionWithSession(
  { name: "settings-delete-account", ipLimit: { burst: 5, perSeconds: 60 } },
  deleteAccountSchema,
  async (input, session, context) => {
    await deleteOwnAccount(session, input, context);
    return success(undefined, "Your account was deleted.");
  },
);

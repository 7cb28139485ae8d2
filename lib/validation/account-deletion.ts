import { z } from "./zod";
import { userText } from "./text";

/** What a person types to confirm they are deleting their account, in any case. */
export const DELETE_CONFIRMATION = "delete my account";

export const deleteAccountSchema = z.object({
  confirmation: userText({ error: `Type “${DELETE_CONFIRMATION}” to confirm.` })
    .max(100, `Type “${DELETE_CONFIRMATION}” to confirm.`)
    .refine((typed) => typed.trim().toLowerCase() === DELETE_CONFIRMATION, `Type “${DELETE_CONFIRMATION}” to confirm.`),
});

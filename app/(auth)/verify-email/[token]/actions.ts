"use server";
import { validatedAction } from "@/lib/actions";
import { confirmEmailLink } from "@/lib/accounts/sign-up";
import { emailLinkSchema } from "@/lib/validation/auth";
import { currentBrowserKey, finishBrowserSignIn } from "../../browser-device";

export const confirmEmailLinkAction = validatedAction({ name: "verify-email-link" }, emailLinkSchema, async (input, context) =>
  finishBrowserSignIn(confirmEmailLink({ token: input.token, browserKey: await currentBrowserKey() }, context)),
);

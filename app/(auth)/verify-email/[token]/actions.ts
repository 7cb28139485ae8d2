"use server";
import { validatedAction } from "@/lib/actions";
import { confirmEmailLink } from "@/lib/accounts/sign-up";
import { getCurrentSession } from "@/lib/auth/current";
import { emailLinkSchema } from "@/lib/validation/auth";
import { currentBrowserKey, finishBrowserSignIn } from "../../browser-device";

export const confirmEmailLinkAction = validatedAction({ name: "verify-email-link" }, emailLinkSchema, async (input, context) => {
  const signedInUserId = (await getCurrentSession())?.userId ?? null;
  const browserKey = await currentBrowserKey();
  return finishBrowserSignIn(confirmEmailLink({ token: input.token, clicked: input.clicked, browserKey, signedInUserId }, context));
});

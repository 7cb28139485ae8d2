"use server";
import { success, validatedAction } from "@/lib/actions";
import { requestCodeSignIn } from "@/lib/accounts/code-sign-in";
import { signInWithPassword } from "@/lib/accounts/password-sign-in";
import { codeRequestSchema, passwordSignInSchema } from "@/lib/validation/auth";
import { currentBrowserKey, finishBrowserSignIn } from "../browser-device";

export const requestSignInCodeAction = validatedAction({ name: "sign-in-code" }, codeRequestSchema, async (input, context) => {
  await requestCodeSignIn(input.contact, context);
  return success({ to: input.contact.destination });
});

export const passwordSignInAction = validatedAction(
  { name: "sign-in-password", ipLimit: { burst: 20, perSeconds: 6 } },
  passwordSignInSchema,
  async (input, context) =>
    finishBrowserSignIn(
      await signInWithPassword({ contact: input.contact, password: input.password, browserKey: await currentBrowserKey() }, context),
    ),
);

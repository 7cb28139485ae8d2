"use server";
import { success, validatedAction } from "@/lib/actions";
import { signUp } from "@/lib/accounts/sign-up";
import { emailSignUpSchema, phoneSignUpSchema } from "@/lib/validation/auth";
import { ensureBrowserKey } from "../browser-device";

export const signUpWithEmailAction = validatedAction({ name: "sign-up" }, emailSignUpSchema, async (input, context) => {
  await signUp({ contact: { channel: "EMAIL", destination: input.email }, password: input.password, browserKey: await ensureBrowserKey() }, context);
  return success({ to: input.email });
});

export const signUpWithPhoneAction = validatedAction({ name: "sign-up" }, phoneSignUpSchema, async (input, context) => {
  await signUp({ contact: { channel: "SMS", destination: input.phone }, password: input.password, browserKey: await ensureBrowserKey() }, context);
  return success({ to: input.phone });
});

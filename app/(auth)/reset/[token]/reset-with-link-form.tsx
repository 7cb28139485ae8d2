"use client";
import { Card } from "@/components/ui/card";
import { FormShell } from "@/components/forms/form-shell";
import { useActionForm } from "@/components/forms/use-action-form";
import { completeSignIn } from "@/components/auth/complete-sign-in";
import { NewPasswordField } from "@/components/auth/new-password-field";
import { resetWithLinkSchema } from "@/lib/validation/auth";
import { resetWithLinkAction } from "../actions";

export function ResetWithLinkForm({ token }: { token: string }) {
  const { form, submit, message, setMessage, pending, errorOf } = useActionForm(resetWithLinkSchema, resetWithLinkAction, {
    defaultValues: { token, password: "" },
    onSuccess: async ({ destination }) => {
      if (!(await completeSignIn(destination))) setMessage({ tone: "error", text: "Your password is reset. Sign in to continue." });
    },
  });
  return (
    <Card>
      <FormShell onSubmit={submit} message={message} pending={pending} submitLabel="Set new password" label="Choose a new password">
        <NewPasswordField error={errorOf("password")} registration={form.register("password")} />
      </FormShell>
    </Card>
  );
}

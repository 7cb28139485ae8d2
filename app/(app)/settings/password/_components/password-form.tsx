"use client";
import { useRouter } from "next/navigation";
import { Card } from "@/components/ui/card";
import { FormShell } from "@/components/forms/form-shell";
import { TextField } from "@/components/forms/text-field";
import { useActionForm } from "@/components/forms/use-action-form";
import { NewPasswordField } from "@/components/auth/new-password-field";
import { changePasswordSchema } from "@/lib/settings/schemas";
import { changePasswordAction } from "../actions";

export function PasswordForm({ hasPassword }: { hasPassword: boolean }) {
  const router = useRouter();
  const { form, submit, message, pending, errorOf } = useActionForm(changePasswordSchema, changePasswordAction, {
    defaultValues: { currentPassword: "", newPassword: "" },
    onSuccess: () => {
      form.reset({ currentPassword: "", newPassword: "" });
      router.refresh();
    },
  });
  return (
    <Card
      title={hasPassword ? "Change your password" : "Set a password"}
      description={hasPassword ? undefined : "Your account has no password yet: you sign in with codes. A password lets you sign in without one."}
    >
      <FormShell onSubmit={submit} message={message} pending={pending} submitLabel={hasPassword ? "Change password" : "Set password"} label="Password">
        {hasPassword ? (
          <TextField
            id="current-password"
            label="Current password"
            type="password"
            autoComplete="current-password"
            error={errorOf("currentPassword")}
            registration={form.register("currentPassword")}
          />
        ) : null}
        <NewPasswordField error={errorOf("newPassword")} registration={form.register("newPassword")} />
      </FormShell>
    </Card>
  );
}

"use client";
import { signOut } from "next-auth/react";
import { useRouter } from "next/navigation";
import { Card } from "@/components/ui/card";
import { FormShell } from "@/components/forms/form-shell";
import { TextField } from "@/components/forms/text-field";
import { useActionForm } from "@/components/forms/use-action-form";
import { DELETE_CONFIRMATION, deleteAccountSchema } from "@/lib/validation/account-deletion";
import { deleteAccountAction } from "../actions";

export function DeleteAccountForm() {
  const router = useRouter();
  const { form, submit, message, pending, errorOf } = useActionForm(deleteAccountSchema, deleteAccountAction, {
    defaultValues: { confirmation: "" },
    // The account and its sessions are gone already; this clears the browser's cookie too.
    onSuccess: async () => {
      await signOut({ redirect: false });
      router.replace("/account-deleted");
    },
  });
  return (
    <Card
      title="Delete your account"
      description="Deletes your profile, every device and session, your passkeys and all your encryption keys, at once and for good. Messaging apps can no longer reach you. We send a last notice to your address."
    >
      <FormShell onSubmit={submit} message={message} pending={pending} submitLabel="Delete my account for good" label="Delete your account" submitVariant="danger">
        <TextField
          id="delete-confirmation"
          label={`Type “${DELETE_CONFIRMATION}” to confirm`}
          autoComplete="off"
          required
          error={errorOf("confirmation")}
          registration={form.register("confirmation")}
        />
      </FormShell>
    </Card>
  );
}

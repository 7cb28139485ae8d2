"use client";
import { useRouter } from "next/navigation";
import { FormShell } from "@/components/forms/form-shell";
import { TextField } from "@/components/forms/text-field";
import { useActionForm } from "@/components/forms/use-action-form";
import { DELETE_CONFIRMATION, deleteUserSchema } from "@/lib/admin/schemas";
import {
  changeRoleAction,
  deactivateUserAction,
  deleteUserAction,
  reactivateUserAction,
  resendVerificationAction,
  revokeDeviceAction,
  turnOffTwoStepAction,
} from "../actions";
import { ConfirmAction } from "@/components/admin/confirm-action";

type Target = { id: string; label: string; isActive: boolean; role: "USER" | "ADMIN"; twoStepOn: boolean; unverified: boolean };

/**
 * The account's state and role, and two-step verification: the page's danger zone, since most of
 * these lock the person out or take something away. Each pair (deactivate/reactivate, remove/make
 * admin) keeps one place, so its outcome stays on screen when the page refreshes into the other.
 */
export function AccountControls({ user }: { user: Target }) {
  const userId = user.id;
  return (
    <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
      {user.isActive ? (
        <ConfirmAction
          label="Deactivate account"
          question={`Deactivate ${user.label}? Every session ends now and they cannot sign in until reactivated.`}
          confirmLabel="Deactivate"
          run={() => deactivateUserAction({ userId })}
        />
      ) : (
        <ConfirmAction
          label="Reactivate account"
          question={`Reactivate ${user.label}? They can sign in again.`}
          confirmLabel="Reactivate"
          run={() => reactivateUserAction({ userId })}
          destructive={false}
        />
      )}
      {user.role === "ADMIN" ? (
        <ConfirmAction
          label="Remove admin role"
          question={`Remove the admin role from ${user.label}? They lose access to this area at once.`}
          confirmLabel="Remove admin role"
          run={() => changeRoleAction({ userId, role: "USER" })}
        />
      ) : (
        <ConfirmAction
          label="Make admin"
          question={`Make ${user.label} an admin? They can then manage every account.`}
          confirmLabel="Make admin"
          run={() => changeRoleAction({ userId, role: "ADMIN" })}
        />
      )}
      {user.twoStepOn ? (
        <ConfirmAction
          label="Turn off two-step verification"
          question={`Turn off two-step verification for ${user.label}? Only for a person who lost both their authenticator app and their recovery codes, after you checked who they are another way (docs/security.md). They are told by mail.`}
          confirmLabel="Turn it off"
          run={() => turnOffTwoStepAction({ userId })}
        />
      ) : null}
    </div>
  );
}

/** Resending a verification code, for an account whose address or number is not confirmed yet. */
export function ResendVerification({ user }: { user: Pick<Target, "id" | "label"> }) {
  return (
    <ConfirmAction
      label="Resend verification"
      question={`Send ${user.label} a new verification code?`}
      confirmLabel="Send"
      run={() => resendVerificationAction({ userId: user.id })}
      destructive={false}
    />
  );
}

export function RevokeDevice({ userId, device }: { userId: string; device: { id: string; name: string } }) {
  return (
    <ConfirmAction
      label={`Revoke ${device.name}`}
      question={`Revoke ${device.name}? Its sessions end and its encryption keys are deleted.`}
      confirmLabel="Revoke device"
      run={() => revokeDeviceAction({ userId, deviceId: device.id })}
    />
  );
}

export function DeleteUserForm({ userId, label }: { userId: string; label: string }) {
  const router = useRouter();
  const { form, submit, message, pending, errorOf } = useActionForm(deleteUserSchema, deleteUserAction, {
    defaultValues: { userId, confirmation: "" as typeof DELETE_CONFIRMATION },
    onSuccess: () => router.push("/admin/users"),
  });
  return (
    <FormShell onSubmit={submit} message={message} pending={pending} submitLabel={`Delete ${label}`} label="Delete this account" submitVariant="danger">
      <input type="hidden" {...form.register("userId")} />
      <TextField
        id="delete-confirmation"
        label={`Type ${DELETE_CONFIRMATION} to confirm`}
        hint="The account, its devices, keys, sessions and history are deleted for good. The person is told by mail."
        autoComplete="off"
        error={errorOf("confirmation")}
        registration={form.register("confirmation")}
      />
    </FormShell>
  );
}

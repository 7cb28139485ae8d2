"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { FormShell } from "@/components/forms/form-shell";
import { TextField } from "@/components/forms/text-field";
import { CodeField } from "@/components/forms/code-field";
import { PhoneField } from "@/components/forms/phone-field";
import { useActionForm } from "@/components/forms/use-action-form";
import { ResendButton } from "@/components/auth/resend-button";
import type { ActionResult } from "@/lib/actions";
import { confirmChangeSchema, requestEmailChangeSchema, requestPhoneChangeSchema } from "@/lib/settings/schemas";
import { cancelEmailChangeAction, confirmEmailChangeAction, requestEmailChangeAction } from "../email/actions";
import { cancelPhoneChangeAction, confirmPhoneChangeAction, requestPhoneChangeAction } from "../phone/actions";
import type { ReauthenticationMethods } from "@/lib/settings/reauthenticate";
import { ReauthenticatePanel } from "@/app/_reauthentication/reauthenticate-panel";

export type ContactKind = "email" | "phone";

type ChangeActions = {
  request: (destination: string) => Promise<ActionResult<{ pending: string }>>;
  confirm: (input: { code: string }) => Promise<ActionResult<{ changed: string }>>;
  cancel: () => Promise<ActionResult<void>>;
};

const ACTIONS: Record<ContactKind, ChangeActions> = {
  email: {
    request: (email) => requestEmailChangeAction({ email }),
    confirm: confirmEmailChangeAction,
    cancel: () => cancelEmailChangeAction({}),
  },
  phone: {
    request: (phone) => requestPhoneChangeAction({ phone }),
    confirm: confirmPhoneChangeAction,
    cancel: () => cancelPhoneChangeAction({}),
  },
};

function NewEmailForm() {
  const router = useRouter();
  const { form, submit, message, pending, errorOf } = useActionForm(requestEmailChangeSchema, requestEmailChangeAction, {
    defaultValues: { email: "" },
    onSuccess: () => router.refresh(),
  });
  return (
    <Card title="New email address" description="We will send a code to the new address. Your address changes when you enter it.">
      <FormShell onSubmit={submit} message={message} pending={pending} submitLabel="Send code" label="New email address">
        <TextField id="email" label="New email address" type="email" autoComplete="email" spellCheck={false} error={errorOf("email")} registration={form.register("email")} />
      </FormShell>
    </Card>
  );
}

function NewPhoneForm() {
  const router = useRouter();
  const { form, submit, message, pending, errorOf } = useActionForm(requestPhoneChangeSchema, requestPhoneChangeAction, {
    defaultValues: { phone: "" },
    onSuccess: () => router.refresh(),
  });
  return (
    <Card title="New phone number" description="We will text a code to the new number. Your number changes when you enter it.">
      <FormShell onSubmit={submit} message={message} pending={pending} submitLabel="Send code" label="New phone number">
        <PhoneField id="phone" label="New phone number" name="phone" control={form.control} error={errorOf("phone")} />
      </FormShell>
    </Card>
  );
}

/** Step 2 of an email or phone change: the code sent to the new address or number. */
function ConfirmChangeForm({
  kind,
  pending,
  resendWaitSeconds,
  onChanged,
}: {
  kind: ContactKind;
  pending: string;
  resendWaitSeconds: number;
  onChanged: (message: string) => void;
}) {
  const router = useRouter();
  const actions = ACTIONS[kind];
  const { form, submit, message, setMessage, pending: submitting, errorOf } = useActionForm(confirmChangeSchema, actions.confirm, {
    defaultValues: { code: "" },
    onSuccess: (_data, text) => {
      onChanged(text ?? "Saved.");
      router.refresh();
    },
  });
  return (
    <Card title="Enter the code" description={`We sent a 6-digit code to ${pending}. It is valid for 10 minutes.`}>
      <div className="space-y-4">
        <FormShell onSubmit={submit} message={message} pending={submitting} submitLabel="Confirm" label="Enter the code">
          {/* The step after the new address: its field takes focus, so typing the code is next (issue 25). */}
          <CodeField autoFocus error={errorOf("code")} registration={form.register("code")} />
        </FormShell>
        {/* Counts to the server's deadline, so a reload does not start the wait again (issue 25). */}
        <ResendButton resend={() => actions.request(pending)} onMessage={setMessage} waitSeconds={resendWaitSeconds} />
        <Button
          type="button"
          variant="ghost"
          className="w-full"
          onClick={async () => {
            await actions.cancel();
            router.refresh();
          }}
        >
          {kind === "email" ? "Use a different address" : "Use a different number"}
        </Button>
      </div>
    </Card>
  );
}

/**
 * The email or phone change, step by step as the server reports it: confirm it's you (unless
 * this session signed in within 10 minutes), the new value, then its code. The outcome message
 * lives here, so it stays on screen when the page refreshes to the next step.
 */
export function ContactChange({
  kind,
  pending,
  resendWaitSeconds,
  recentSignIn,
  reauthentication,
}: {
  kind: ContactKind;
  pending: string | null;
  /** Seconds until the server sends another code to `pending`. */
  resendWaitSeconds: number;
  recentSignIn: boolean;
  reauthentication: ReauthenticationMethods;
}) {
  const [changed, setChanged] = useState<string | null>(null);
  return (
    <>
      {changed ? <Alert tone="success">{changed}</Alert> : null}
      {pending ? (
        <ConfirmChangeForm kind={kind} pending={pending} resendWaitSeconds={resendWaitSeconds} onChanged={setChanged} />
      ) : !recentSignIn ? (
        <ReauthenticatePanel methods={reauthentication} />
      ) : kind === "email" ? (
        <NewEmailForm />
      ) : (
        <NewPhoneForm />
      )}
    </>
  );
}

"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { FormShell } from "@/components/forms/form-shell";
import { TextField } from "@/components/forms/text-field";
import { CodeField } from "@/components/forms/code-field";
import { useActionForm } from "@/components/forms/use-action-form";
import { reauthenticateWithCodeSchema, reauthenticateWithPasswordSchema } from "@/lib/settings/schemas";
import { recoveryCodeSchema, twoStepCodeSchema } from "@/lib/validation/auth";
import type { ReauthenticationMethods } from "@/lib/settings/reauthenticate";
import { answerWithPasskey } from "@/components/auth/passkey-ceremony";
import {
  reauthenticateWithAppCodeAction,
  reauthenticateWithCodeAction,
  reauthenticateWithRecoveryCodeAction,
  reauthenticateWithPasskeyAction,
  reauthenticateWithPasswordAction,
  sendReauthenticationCodeAction,
  startPasskeyReauthenticationAction,
} from "./actions";

function PasswordProof({ onDone }: { onDone: () => void }) {
  const { form, submit, message, pending, errorOf } = useActionForm(reauthenticateWithPasswordSchema, reauthenticateWithPasswordAction, {
    defaultValues: { password: "" },
    onSuccess: onDone,
  });
  return (
    <FormShell onSubmit={submit} message={message} pending={pending} submitLabel="Confirm" label="Confirm with your password">
      <TextField
        id="reauth-password"
        label="Your password"
        type="password"
        autoComplete="current-password"
        error={errorOf("password")}
        registration={form.register("password")}
      />
    </FormShell>
  );
}

function CodeProof({ sentTo, onDone }: { sentTo: string; onDone: () => void }) {
  const { form, submit, message, pending, errorOf } = useActionForm(reauthenticateWithCodeSchema, reauthenticateWithCodeAction, {
    defaultValues: { code: "" },
    onSuccess: onDone,
  });
  return (
    <FormShell onSubmit={submit} message={message} pending={pending} submitLabel="Confirm" label="Confirm with a code">
      <CodeField autoFocus hint={`We sent it to ${sentTo}. It is valid for 10 minutes.`} error={errorOf("code")} registration={form.register("code")} />
    </FormShell>
  );
}

function AppCodeProof({ onDone }: { onDone: () => void }) {
  const { form, submit, message, pending, errorOf } = useActionForm(twoStepCodeSchema, reauthenticateWithAppCodeAction, {
    defaultValues: { code: "" },
    onSuccess: onDone,
  });
  return (
    <FormShell onSubmit={submit} message={message} pending={pending} submitLabel="Confirm" label="Confirm with your authenticator app">
      <CodeField hint="Enter the code from your authenticator app." error={errorOf("code")} registration={form.register("code")} />
    </FormShell>
  );
}

function RecoveryCodeProof({ onDone }: { onDone: () => void }) {
  const { form, submit, message, pending, errorOf } = useActionForm(recoveryCodeSchema, reauthenticateWithRecoveryCodeAction, {
    defaultValues: { recoveryCode: "" },
    onSuccess: onDone,
  });
  return (
    <FormShell onSubmit={submit} message={message} pending={pending} submitLabel="Confirm" label="Confirm with a recovery code">
      <TextField
        id="reauth-recovery-code"
        label="Recovery code"
        autoComplete="off"
        spellCheck={false}
        hint="One of the codes you saved when you turned on two-step verification. Each works once."
        error={errorOf("recoveryCode")}
        registration={form.register("recoveryCode")}
      />
    </FormShell>
  );
}

/** With two-step verification on: the authenticator app's code, or a recovery code instead. */
function SecondFactorProof({ onDone }: { onDone: () => void }) {
  const [useRecovery, setUseRecovery] = useState(false);
  return (
    <div className="space-y-3">
      {useRecovery ? <RecoveryCodeProof onDone={onDone} /> : <AppCodeProof onDone={onDone} />}
      <Button type="button" variant="ghost" className="w-full" onClick={() => setUseRecovery((value) => !value)}>
        {useRecovery ? "Use a code from your authenticator app" : "Use a recovery code"}
      </Button>
    </div>
  );
}

function PasskeyProof({ onDone }: { onDone: () => void }) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const confirm = async () => {
    setPending(true);
    setError(null);
    const result = await answerWithPasskey(() => startPasskeyReauthenticationAction({}), reauthenticateWithPasskeyAction);
    setPending(false);
    if (result?.ok) onDone();
    else if (result) setError(result.message);
  };
  return (
    <div className="space-y-3">
      {error ? <Alert tone="error">{error}</Alert> : null}
      <Button type="button" className="w-full" pending={pending} onClick={confirm}>
        Confirm with a passkey
      </Button>
    </div>
  );
}

/**
 * "Confirm it's you" before a sensitive change: one of the account's passkeys, its password, or
 * a code sent to its own address (or number); with two-step verification on, a passkey or the
 * second step instead (ADR 0087). Success gives this session 10 minutes; the page then re-renders.
 */
export function ReauthenticatePanel({ methods }: { methods: ReauthenticationMethods }) {
  const { hasPassword, hasPasskey, codeDestination, twoStepOn } = methods;
  const router = useRouter();
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const done = () => router.refresh();

  const sendCode = async () => {
    setSending(true);
    setError(null);
    const result = await sendReauthenticationCodeAction({});
    setSending(false);
    if (result.ok) setSentTo(result.data.sentTo);
    else setError(result.message);
  };

  return (
    <Card title="Confirm it's you" description="For your security, confirm who you are before making this change. It stays confirmed for 10 minutes.">
      <div className="space-y-5">
        {hasPasskey && !sentTo ? <PasskeyProof onDone={done} /> : null}
        {twoStepOn ? <SecondFactorProof onDone={done} /> : null}
        {hasPassword && !sentTo ? <PasswordProof onDone={done} /> : null}
        {sentTo ? <CodeProof sentTo={sentTo} onDone={done} /> : null}
        {error ? <Alert tone="error">{error}</Alert> : null}
        {codeDestination ? (
          <Button type="button" variant="secondary" className="w-full" pending={sending} onClick={sendCode}>
            {sentTo ? "Send a new code" : hasPassword ? `Send a code to ${codeDestination} instead` : `Send a code to ${codeDestination}`}
          </Button>
        ) : null}
      </div>
    </Card>
  );
}

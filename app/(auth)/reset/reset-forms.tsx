"use client";
import { useState } from "react";
import { Card } from "@/components/ui/card";
import { FormShell } from "@/components/forms/form-shell";
import { TextField } from "@/components/forms/text-field";
import { CodeField } from "@/components/forms/code-field";
import { useActionForm } from "@/components/forms/use-action-form";
import { completeSignIn } from "@/components/auth/complete-sign-in";
import { NewPasswordField } from "@/components/auth/new-password-field";
import { SecondFactorField } from "@/components/auth/second-factor-field";
import { resetRequestSchema, resetWithCodeSchema } from "@/lib/validation/auth";
import { requestResetAction, resetWithCodeAction } from "./actions";

function RequestReset({ initialEmail, onSent }: { initialEmail: string; onSent: (email: string) => void }) {
  const { form, submit, message, pending, errorOf } = useActionForm(resetRequestSchema, requestResetAction, {
    defaultValues: { email: initialEmail },
    onSuccess: ({ email }) => onSent(email),
  });
  return (
    <Card description="We mail you a code and a link. Either one lets you choose a new password.">
      <FormShell onSubmit={submit} message={message} pending={pending} submitLabel="Send reset mail" label="Request a password reset">
        <TextField id="email" label="Email address" type="email" autoComplete="email" error={errorOf("email")} registration={form.register("email")} />
      </FormShell>
    </Card>
  );
}

function ResetWithCode({ email }: { email: string }) {
  const { form, submit, message, setMessage, pending, errorOf } = useActionForm(resetWithCodeSchema, resetWithCodeAction, {
    defaultValues: { email, code: "", password: "", secondFactor: "" },
    onSuccess: async ({ destination }) => {
      if (!(await completeSignIn(destination))) setMessage({ tone: "error", text: "Your password is reset. Sign in to continue." });
    },
  });
  // Asked for only once the code proved right on an account with two-step on (ADR 0087), and kept while it holds a value.
  const askSecondFactor = Boolean(errorOf("secondFactor")) || Boolean(form.watch("secondFactor"));
  return (
    <Card description={`If ${email} has an account, we sent it a code and a link. Enter the code and your new password, or open the link.`}>
      <FormShell onSubmit={submit} message={message} pending={pending} submitLabel="Set new password" label="Reset with the code">
        {/* This step replaced the request form in place: its first field takes focus (issue 25). */}
        <CodeField autoFocus error={errorOf("code")} registration={form.register("code")} />
        <NewPasswordField error={errorOf("password")} registration={form.register("password")} />
        {askSecondFactor ? <SecondFactorField error={errorOf("secondFactor")} registration={form.register("secondFactor")} /> : null}
      </FormShell>
    </Card>
  );
}

export function ResetFlow({ initialEmail }: { initialEmail: string }) {
  const [email, setEmail] = useState<string | null>(null);
  return email ? <ResetWithCode email={email} /> : <RequestReset initialEmail={initialEmail} onSent={setEmail} />;
}

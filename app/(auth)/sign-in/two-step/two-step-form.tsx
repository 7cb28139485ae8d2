"use client";
import { useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { FormShell } from "@/components/forms/form-shell";
import { CodeField } from "@/components/forms/code-field";
import { TextField } from "@/components/forms/text-field";
import { useActionForm } from "@/components/forms/use-action-form";
import { completeSignIn } from "@/components/auth/complete-sign-in";
import { codeSchema } from "@/lib/validation/contact";
import { recoveryCodeSchema, twoStepCodeSchema } from "@/lib/validation/auth";
import { recoveryCodeAction, twoStepCodeAction } from "./actions";

const finishSignIn = async (destination: string, fail: () => void) => {
  if (!(await completeSignIn(destination))) fail();
};

/** Like the code step: focused on arrival, sends itself on the sixth digit, cleared after a refusal. */
function AppCodeForm() {
  const autoSubmitted = useRef<string | null>(null);
  const [refusals, setRefusals] = useState(0);
  const { form, submit, message, setMessage, pending, errorOf } = useActionForm(
    twoStepCodeSchema,
    async (input: { code: string }) => {
      const result = await twoStepCodeAction(input);
      if (!result.ok) setRefusals((count) => count + 1);
      return result;
    },
    {
      defaultValues: { code: "" },
      revalidateOn: "submit",
      onSuccess: ({ destination }) => finishSignIn(destination, () => setMessage({ tone: "error", text: "Signing in did not finish. Please try again." })),
    },
  );
  const code = form.watch("code");
  useEffect(() => {
    const complete = codeSchema.safeParse(code);
    if (!complete.success || complete.data === autoSubmitted.current) return;
    autoSubmitted.current = complete.data;
    void submit();
  }, [code, submit]);
  useEffect(() => {
    if (refusals === 0) return;
    form.setValue("code", "");
    autoSubmitted.current = null;
    form.setFocus("code");
  }, [refusals, form]);
  return (
    <FormShell onSubmit={submit} message={message} pending={pending} submitLabel="Continue" label="Enter the code from your authenticator app">
      <CodeField large autoFocus hint="Enter the code from your authenticator app." error={errorOf("code")} registration={form.register("code")} />
    </FormShell>
  );
}

function RecoveryCodeForm() {
  const { form, submit, message, setMessage, pending, errorOf } = useActionForm(recoveryCodeSchema, recoveryCodeAction, {
    defaultValues: { recoveryCode: "" },
    onSuccess: ({ destination }) => finishSignIn(destination, () => setMessage({ tone: "error", text: "Signing in did not finish. Please try again." })),
  });
  return (
    <FormShell onSubmit={submit} message={message} pending={pending} submitLabel="Continue" label="Use a recovery code">
      <TextField
        id="recoveryCode"
        label="Recovery code"
        autoComplete="off"
        spellCheck={false}
        autoFocus
        hint="One of the codes you saved when you turned on two-step verification. Each works once."
        error={errorOf("recoveryCode")}
        registration={form.register("recoveryCode")}
      />
    </FormShell>
  );
}

export function TwoStepForm() {
  const [useRecovery, setUseRecovery] = useState(false);
  return (
    <Card>
      <div className="space-y-5">
        {useRecovery ? <RecoveryCodeForm /> : <AppCodeForm />}
        <Button type="button" variant="ghost" className="w-full" onClick={() => setUseRecovery((value) => !value)}>
          {useRecovery ? "Use a code from your authenticator app" : "Use a recovery code"}
        </Button>
      </div>
    </Card>
  );
}

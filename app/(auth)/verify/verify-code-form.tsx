"use client";
import { Card } from "@/components/ui/card";
import { FormShell } from "@/components/forms/form-shell";
import { CodeField } from "@/components/forms/code-field";
import { useActionForm } from "@/components/forms/use-action-form";
import { completeSignIn } from "@/components/auth/complete-sign-in";
import { ResendButton } from "@/components/auth/resend-button";
import { verifyCodeSchema, type CodePurposeParam } from "@/lib/validation/auth";
import { resendCodeAction, verifyCodeAction } from "./actions";

export function VerifyCodeForm({ purpose, to }: { purpose: CodePurposeParam; to: string }) {
  const { form, submit, message, setMessage, pending, errorOf } = useActionForm(verifyCodeSchema, verifyCodeAction, {
    defaultValues: { purpose, contact: to, code: "" },
    onSuccess: async ({ destination }) => {
      if (!(await completeSignIn(destination))) setMessage({ tone: "error", text: "Signing in did not finish. Please try again." });
    },
  });
  return (
    <Card>
      <div className="space-y-5">
        <FormShell onSubmit={submit} message={message} pending={pending} submitLabel="Continue" label="Enter your code">
          <CodeField large error={errorOf("code")} registration={form.register("code")} />
        </FormShell>
        <ResendButton
          resend={() => resendCodeAction({ purpose, contact: to })}
          onMessage={setMessage}
        />
      </div>
    </Card>
  );
}

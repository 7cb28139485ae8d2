"use client";
import { Card } from "@/components/ui/card";
import { FormShell } from "@/components/forms/form-shell";
import { TextField } from "@/components/forms/text-field";
import { useActionForm } from "@/components/forms/use-action-form";
import { completeSignIn } from "@/components/auth/complete-sign-in";
import { ResendButton } from "@/components/auth/resend-button";
import { verifyCodeSchema, type CodePurposeParam } from "@/lib/validation/auth";
import { resendCodeAction, verifyCodeAction } from "./actions";

export function VerifyCodeForm({ purpose, to }: { purpose: CodePurposeParam; to: string }) {
  const { form, submit, message, setMessage, pending, errorOf } = useActionForm(verifyCodeSchema, verifyCodeAction, {
    defaultValues: { purpose, contact: to, code: "" },
    onSuccess: async ({ ticket, destination }) => {
      if (!(await completeSignIn(ticket, destination))) setMessage({ tone: "error", text: "Signing in did not finish. Please try again." });
    },
  });
  return (
    <Card>
      <div className="space-y-5">
        <FormShell onSubmit={submit} message={message} pending={pending} submitLabel="Continue" label="Enter your code">
          <TextField
            id="code"
            label="6-digit code"
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={7}
            pattern="[0-9 ]*"
            className="block w-full min-h-12 rounded-md border border-slate-300 bg-white px-3 py-2 text-center font-mono text-2xl tracking-[0.4em] text-slate-900 shadow-sm focus:border-brand-600 focus:outline-none focus:ring-2 focus:ring-brand-600/40 aria-[invalid=true]:border-red-600"
            error={errorOf("code")}
            registration={form.register("code")}
          />
        </FormShell>
        <ResendButton
          resend={() => resendCodeAction({ purpose, contact: to })}
          onResult={(result) =>
            setMessage(result.ok ? { tone: "success", text: result.message ?? "We sent a new code." } : { tone: "error", text: result.message })
          }
        />
      </div>
    </Card>
  );
}

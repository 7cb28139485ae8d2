"use client";
import { useEffect, useRef, useState } from "react";
import { Card } from "@/components/ui/card";
import { FormShell } from "@/components/forms/form-shell";
import { CodeField } from "@/components/forms/code-field";
import { useActionForm } from "@/components/forms/use-action-form";
import { completeSignIn } from "@/components/auth/complete-sign-in";
import { ResendButton } from "@/components/auth/resend-button";
import { codeSchema } from "@/lib/validation/contact";
import { verifyCodeSchema, type CodePurposeParam } from "@/lib/validation/auth";
import { resendCodeAction, verifyCodeAction } from "./actions";

/**
 * The code step: the field has the focus on arrival and the form sends itself once six digits are
 * in (typed, pasted or autofilled). When no guess at this code can succeed any more, the field is
 * disabled and "Send a new code" becomes the main action; a new code clears the old error.
 */
export function VerifyCodeForm({ purpose, to, resendWaitSeconds }: { purpose: CodePurposeParam; to: string; resendWaitSeconds: number }) {
  const [spent, setSpent] = useState(false);
  // Each complete code is sent once by itself; a refused one is cleared, ready for the next try.
  const autoSubmitted = useRef<string | null>(null);
  const [refusals, setRefusals] = useState(0);
  const verify = async (input: Parameters<typeof verifyCodeAction>[0]) => {
    const result = await verifyCodeAction(input);
    if (!result.ok) {
      setRefusals((count) => count + 1);
      if (result.codeSpent) setSpent(true);
    }
    return result;
  };
  const { form, submit, message, setMessage, pending, errorOf } = useActionForm(verifyCodeSchema, verify, {
    defaultValues: { purpose, contact: to, code: "" },
    revalidateOn: "submit",
    onSuccess: async ({ destination }) => {
      if (!(await completeSignIn(destination))) setMessage({ tone: "error", text: "Signing in did not finish. Please try again." });
    },
  });

  const code = form.watch("code");
  useEffect(() => {
    const complete = codeSchema.safeParse(code);
    if (spent || !complete.success || complete.data === autoSubmitted.current) return;
    autoSubmitted.current = complete.data;
    void submit();
  }, [code, spent, submit]);

  useEffect(() => {
    if (refusals === 0) return;
    form.setValue("code", "");
    autoSubmitted.current = null;
  }, [refusals, form]);

  useEffect(() => {
    if (!spent) form.setFocus("code");
  }, [spent, form]);

  const onNewCode = () => {
    form.reset({ purpose, contact: to, code: "" });
    autoSubmitted.current = null;
    setSpent(false);
  };

  return (
    <Card>
      <div className="space-y-5">
        <FormShell onSubmit={submit} message={message} pending={pending} submitLabel="Continue" label="Enter your code" submitHidden={spent}>
          <CodeField large autoFocus disabled={spent} error={errorOf("code")} registration={form.register("code")} />
        </FormShell>
        <ResendButton
          resend={() => resendCodeAction({ purpose, contact: to })}
          onMessage={setMessage}
          onSent={onNewCode}
          waitSeconds={resendWaitSeconds}
          primary={spent}
        />
      </div>
    </Card>
  );
}

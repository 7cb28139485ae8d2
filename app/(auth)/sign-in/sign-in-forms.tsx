"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { Card } from "@/components/ui/card";
import { FormShell } from "@/components/forms/form-shell";
import { TextField } from "@/components/forms/text-field";
import { useActionForm } from "@/components/forms/use-action-form";
import { completeSignIn } from "@/components/auth/complete-sign-in";
import { verifyPageUrl } from "@/components/auth/verify-url";
import { codeRequestSchema, passwordSignInSchema } from "@/lib/validation/auth";
import { passwordSignInAction, requestSignInCodeAction } from "./actions";

// "webauthn" lets the browser offer saved passkeys in these fields (components/auth/passkey-sign-in.tsx).
const IDENTIFIER_AUTOCOMPLETE = "username webauthn";
const CONTACT_HINT = "Your email address, or your phone number with its country code (+1 …).";

export function CodeSignInForm() {
  const router = useRouter();
  const { form, submit, message, pending, errorOf } = useActionForm(codeRequestSchema, requestSignInCodeAction, {
    defaultValues: { contact: "" },
    onSuccess: ({ to }) => router.push(verifyPageUrl("signin", to)),
  });
  return (
    <Card title="Sign in with a code" description="We send a 6-digit code by email or SMS. No password needed.">
      <FormShell onSubmit={submit} message={message} pending={pending} submitLabel="Send me a code" label="Sign in with a code">
        <TextField id="code-contact" label="Email or phone number" autoComplete={IDENTIFIER_AUTOCOMPLETE} hint={CONTACT_HINT} error={errorOf("contact")} registration={form.register("contact")} />
      </FormShell>
    </Card>
  );
}

export function PasswordSignInForm() {
  const { form, submit, message, setMessage, pending, errorOf } = useActionForm(passwordSignInSchema, passwordSignInAction, {
    defaultValues: { contact: "", password: "" },
    onSuccess: async ({ destination }) => {
      if (!(await completeSignIn(destination))) setMessage({ tone: "error", text: "Signing in did not finish. Please try again." });
    },
  });
  return (
    <Card title="Sign in with a password">
      <FormShell onSubmit={submit} message={message} pending={pending} submitLabel="Sign in" label="Sign in with a password">
        <TextField id="password-contact" label="Email or phone number" autoComplete={IDENTIFIER_AUTOCOMPLETE} error={errorOf("contact")} registration={form.register("contact")} />
        <TextField id="password" label="Password" type="password" autoComplete="current-password" error={errorOf("password")} registration={form.register("password")} />
        <p className="text-sm">
          <Link href="/reset" className="font-medium text-brand-700 underline">
            Forgot your password?
          </Link>
        </p>
      </FormShell>
    </Card>
  );
}

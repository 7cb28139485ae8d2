"use client";
import Link from "next/link";
import { useState } from "react";
import { useRouter, useSearchParams } from "next/navigation";
import { Card } from "@/components/ui/card";
import { FormShell } from "@/components/forms/form-shell";
import { TextField } from "@/components/forms/text-field";
import { useActionForm } from "@/components/forms/use-action-form";
import { completeSignIn } from "@/components/auth/complete-sign-in";
import { PasskeySignIn } from "./_components/passkey-sign-in";
import { verifyPageUrl } from "@/components/auth/verify-url";
import { RETURN_PARAM } from "@/lib/auth/return-path";
import { codeRequestSchema, passwordSignInSchema } from "@/lib/validation/auth";
import { contactSchema } from "@/lib/validation/contact";
import { passwordSignInAction, requestSignInCodeAction } from "./actions";

/**
 * Identifier first: one field, then the ways to sign in. The second step is drawn in the browser
 * from the address alone, without asking the server, so it looks the same for every address and
 * tells nobody whether an account, a password or a passkey exists (ADR 0053).
 */
export function SignInFlow() {
  const [contact, setContact] = useState<string | null>(null);
  return (
    <>
      <PasskeySignIn />
      {contact === null ? <IdentifierForm onContinue={setContact} /> : <SignInChoices contact={contact} onChange={() => setContact(null)} />}
    </>
  );
}

// "webauthn" lets the browser offer saved passkeys in this field (./_components/passkey-sign-in.tsx).
const IDENTIFIER_AUTOCOMPLETE = "username webauthn";

function IdentifierForm({ onContinue }: { onContinue: (contact: string) => void }) {
  const { form, submit, message, pending, errorOf } = useActionForm(
    codeRequestSchema,
    async ({ contact }) => ({ ok: true as const, data: contact.trim() }),
    { defaultValues: { contact: "" }, onSuccess: onContinue },
  );
  return (
    <Card title="Sign in with your address">
      <FormShell onSubmit={submit} message={message} pending={pending} submitLabel="Continue" label="Sign in">
        <TextField
          id="contact"
          label="Email or phone number"
          autoComplete={IDENTIFIER_AUTOCOMPLETE}
          autoFocus
          hint="Your email address, or your phone number with its country code (+1 …)."
          error={errorOf("contact")}
          registration={form.register("contact")}
        />
      </FormShell>
    </Card>
  );
}

function SignInChoices({ contact, onChange }: { contact: string; onChange: () => void }) {
  const channel = contactSchema.safeParse(contact).data?.channel ?? "EMAIL";
  return (
    <Card
      title="How do you want to sign in?"
      focusTitle
      description={
        <p>
          As <strong className="break-all text-slate-900">{contact}</strong>.{" "}
          <button type="button" onClick={onChange} className="font-medium text-brand-700 underline">
            Use another address
          </button>
        </p>
      }
    >
      <div className="space-y-6">
        <CodeSignInForm contact={contact} label={channel === "SMS" ? "Text me a code" : "Email me a code"} />
        <p className="text-center text-sm text-slate-600">or</p>
        <PasswordSignInForm contact={contact} resetHref={channel === "EMAIL" ? `/reset?email=${encodeURIComponent(contact)}` : "/reset"} />
      </div>
    </Card>
  );
}

function CodeSignInForm({ contact, label }: { contact: string; label: string }) {
  const router = useRouter();
  const returnTo = useSearchParams().get(RETURN_PARAM);
  const { submit, message, pending } = useActionForm(codeRequestSchema, requestSignInCodeAction, {
    defaultValues: { contact },
    onSuccess: ({ to }) => router.push(verifyPageUrl("signin", to, returnTo)),
  });
  return (
    <FormShell onSubmit={submit} message={message} pending={pending} submitLabel={label} label="Sign in with a code">
      <p className="text-sm text-slate-600">We send a 6-digit code. No password needed.</p>
    </FormShell>
  );
}

/** `resetHref` carries the address typed in step one, so "Forgot your password?" need not ask again. */
function PasswordSignInForm({ contact, resetHref }: { contact: string; resetHref: string }) {
  const { form, submit, message, setMessage, pending, errorOf } = useActionForm(passwordSignInSchema, passwordSignInAction, {
    defaultValues: { contact, password: "" },
    onSuccess: async ({ destination }) => {
      if (!(await completeSignIn(destination))) setMessage({ tone: "error", text: "Signing in did not finish. Please try again." });
    },
  });
  return (
    <FormShell onSubmit={submit} message={message} pending={pending} submitLabel="Sign in with password" label="Sign in with a password">
      {/* Password managers save and fill the password under this username. */}
      <input type="text" hidden readOnly autoComplete="username" {...form.register("contact")} />
      <TextField id="password" label="Password" type="password" autoComplete="current-password" error={errorOf("password")} registration={form.register("password")} />
      {errorOf("contact") ? <p className="text-sm text-red-700">{errorOf("contact")}</p> : null}
      <p className="text-sm">
        <Link href={resetHref} className="font-medium text-brand-700 underline">
          Forgot your password?
        </Link>
      </p>
    </FormShell>
  );
}

"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Card } from "@/components/ui/card";
import { FormShell } from "@/components/forms/form-shell";
import { TextField } from "@/components/forms/text-field";
import { PhoneField } from "@/components/forms/phone-field";
import { useActionForm } from "@/components/forms/use-action-form";
import { ChannelSwitch, type Channel } from "@/components/auth/channel-switch";
import { verifyPageUrl } from "@/components/auth/verify-url";
import { emailSignUpSchema, phoneSignUpSchema } from "@/lib/validation/auth";
import { signUpWithEmailAction, signUpWithPhoneAction } from "./actions";

const PASSWORD_HINT = "Optional: 8 to 128 characters. You can also sign in with a code and set a password later.";

function EmailSignUp({ onSent }: { onSent: (to: string) => void }) {
  const { form, submit, message, pending, errorOf } = useActionForm(emailSignUpSchema, signUpWithEmailAction, {
    defaultValues: { email: "", password: "" },
    onSuccess: ({ to }) => onSent(to),
  });
  return (
    <FormShell onSubmit={submit} message={message} pending={pending} submitLabel="Send me a code" label="Sign up with email">
      <TextField id="email" label="Email address" type="email" autoComplete="email" error={errorOf("email")} registration={form.register("email")} />
      <TextField id="password" label="Password (optional)" type="password" autoComplete="new-password" hint={PASSWORD_HINT} error={errorOf("password")} registration={form.register("password")} />
    </FormShell>
  );
}

function PhoneSignUp({ onSent }: { onSent: (to: string) => void }) {
  const { form, submit, message, pending, errorOf } = useActionForm(phoneSignUpSchema, signUpWithPhoneAction, {
    defaultValues: { phone: "", password: "" },
    onSuccess: ({ to }) => onSent(to),
  });
  return (
    <FormShell onSubmit={submit} message={message} pending={pending} submitLabel="Text me a code" label="Sign up with phone">
      <PhoneField id="phone" label="Phone number" name="phone" control={form.control} error={errorOf("phone")} />
      <TextField id="phone-password" label="Password (optional)" type="password" autoComplete="new-password" hint={PASSWORD_HINT} error={errorOf("password")} registration={form.register("password")} />
    </FormShell>
  );
}

export function SignUpForm() {
  const router = useRouter();
  const [channel, setChannel] = useState<Channel>("email");
  const onSent = (to: string) => router.push(verifyPageUrl("signup", to));
  return (
    <Card>
      <div className="space-y-5">
        <ChannelSwitch value={channel} onChange={setChannel} label="Sign up with" />
        {channel === "email" ? <EmailSignUp onSent={onSent} /> : <PhoneSignUp onSent={onSent} />}
      </div>
    </Card>
  );
}

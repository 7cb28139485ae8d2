"use client";
import { useRouter } from "next/navigation";
import { Card } from "@/components/ui/card";
import { FormShell } from "@/components/forms/form-shell";
import { TextField } from "@/components/forms/text-field";
import { useActionForm } from "@/components/forms/use-action-form";
import { onboardingSchema } from "@/lib/validation/profile";
import { completeProfileAction } from "../actions";
import { UsernameField } from "./username-field";

/** The profile gate: the three fields the product needs, then into the app. */
export function OnboardingForm() {
  const router = useRouter();
  const { form, submit, message, pending, errorOf } = useActionForm(onboardingSchema, completeProfileAction, {
    defaultValues: { name: "", username: "", dob: "" },
    onSuccess: () => router.replace("/home"),
  });
  return (
    <Card>
      <FormShell onSubmit={submit} message={message} pending={pending} submitLabel="Save and continue" label="Complete your profile">
        <TextField id="name" label="Display name" autoComplete="nickname" error={errorOf("name")} registration={form.register("name")} />
        <UsernameField value={form.watch("username") ?? ""} error={errorOf("username")} registration={form.register("username")} />
        <TextField id="dob" label="Date of birth" type="date" autoComplete="bday" hint="You must be at least 13." error={errorOf("dob")} registration={form.register("dob")} />
      </FormShell>
    </Card>
  );
}

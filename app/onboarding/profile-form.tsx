"use client";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { Card } from "@/components/ui/card";
import { Field, Input, Select } from "@/components/ui/field";
import { FormShell } from "@/components/forms/form-shell";
import { TextField } from "@/components/forms/text-field";
import { useActionForm } from "@/components/forms/use-action-form";
import { COUNTRIES } from "@/lib/validation/countries";
import { profileSchema, usernameSchema, type ProfileInput } from "@/lib/validation/profile";
import { POSTAL_FORMATS, REGIONS } from "@/lib/validation/regions";
import { checkUsernameAction, completeProfileAction } from "./actions";

type Availability = "idle" | "current" | "checking" | "available" | "taken";

/**
 * Asks the server whether the typed username is free, 400 ms after typing stops. The saved
 * username (`current`) is the person's own: not "available", and not worth asking about.
 */
function useUsernameAvailability(username: string, current: string): Availability {
  const [answer, setAnswer] = useState<{ username: string; available: boolean } | null>(null);
  const parsed = usernameSchema.safeParse(username);
  const candidate = parsed.success && parsed.data !== current ? parsed.data : null;
  useEffect(() => {
    if (!candidate) return;
    let current = true;
    const timer = setTimeout(async () => {
      const result = await checkUsernameAction({ username: candidate });
      if (current && result.ok) setAnswer({ username: candidate, available: result.data.available });
    }, 400);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [candidate]);
  if (parsed.success && parsed.data === current) return "current";
  if (!candidate) return "idle";
  if (answer?.username !== candidate) return "checking";
  return answer.available ? "available" : "taken";
}

const AVAILABILITY_HINT: Record<Availability, string> = {
  idle: "3 to 30 letters, digits or underscores.",
  checking: "Checking…",
  current: "This is your username.",
  available: "✓ This username is available.",
  // Said once, as the field's error.
  taken: "",
};

const EMPTY_PROFILE: ProfileInput = { name: "", username: "", fullName: "", dob: "", country: "", state: "", zip: "" };

/**
 * Onboarding's form, also used by /settings/profile to edit the same fields: there it starts
 * from the saved values and stays on the page after saving (`savedMessage`).
 */
export function ProfileForm({
  initialValues = EMPTY_PROFILE,
  submitLabel = "Save and continue",
  savedMessage,
}: { initialValues?: ProfileInput; submitLabel?: string; savedMessage?: string } = {}) {
  const router = useRouter();
  const { form, submit, message, setMessage, pending, errorOf } = useActionForm(profileSchema, completeProfileAction, {
    defaultValues: initialValues,
    onSuccess: () => {
      if (!savedMessage) return router.replace("/home");
      setMessage({ tone: "success", text: savedMessage });
      router.refresh();
    },
  });
  const country = form.watch("country");
  const availability = useUsernameAvailability(form.watch("username") ?? "", initialValues.username ?? "");
  const regions = country ? REGIONS[country] : undefined;
  const postal = country ? POSTAL_FORMATS[country] : undefined;
  const stateError = errorOf("state");

  return (
    <Card>
      <FormShell onSubmit={submit} message={message} pending={pending} submitLabel={submitLabel} label={savedMessage ? "Your profile" : "Complete your profile"}>
        <TextField id="name" label="Display name" autoComplete="nickname" error={errorOf("name")} registration={form.register("name")} />
        <TextField
          id="username"
          label="Username"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          hint={<span aria-live="polite">{AVAILABILITY_HINT[availability]}</span>}
          error={errorOf("username") ?? (availability === "taken" ? "That username is taken. Try another." : undefined)}
          registration={form.register("username")}
        />
        <TextField id="fullName" label="Full name" autoComplete="name" error={errorOf("fullName")} registration={form.register("fullName")} />
        <TextField id="dob" label="Date of birth" type="date" autoComplete="bday" hint="You must be at least 13." error={errorOf("dob")} registration={form.register("dob")} />
        <Field id="country" label="Country" error={errorOf("country")}>
          {(describedBy, invalid) => (
            <Select id="country" autoComplete="country" aria-describedby={describedBy} aria-invalid={invalid || undefined} {...form.register("country")}>
              <option value="">Choose your country</option>
              {COUNTRIES.map((option) => (
                <option key={option.code} value={option.code}>
                  {option.name}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Field id="state" label={regions ? "State or region" : "State or region (optional)"} error={stateError}>
          {(describedBy, invalid) =>
            regions ? (
              <Select id="state" aria-describedby={describedBy} aria-invalid={invalid || undefined} {...form.register("state")}>
                <option value="">Choose</option>
                {regions.map((region) => (
                  <option key={region.code} value={region.code}>
                    {region.name}
                  </option>
                ))}
              </Select>
            ) : (
              <Input id="state" autoComplete="address-level1" aria-describedby={describedBy} aria-invalid={invalid || undefined} {...form.register("state")} />
            )
          }
        </Field>
        <TextField
          id="zip"
          label={postal ? "Postal code" : "Postal code (optional)"}
          autoComplete="postal-code"
          hint={postal ? `For example ${postal.example}.` : undefined}
          error={errorOf("zip")}
          registration={form.register("zip")}
        />
      </FormShell>
    </Card>
  );
}

"use client";
import { useRouter } from "next/navigation";
import { Card } from "@/components/ui/card";
import { Field, Input, Select } from "@/components/ui/field";
import { FormShell } from "@/components/forms/form-shell";
import { TextField } from "@/components/forms/text-field";
import { useActionForm } from "@/components/forms/use-action-form";
import { UsernameField } from "@/app/onboarding/_components/username-field";
import { COUNTRIES } from "@/lib/validation/countries";
import { profileSchema, type ProfileInput } from "@/lib/validation/profile";
import { POSTAL_FORMATS, REGIONS } from "@/lib/validation/regions";
import { updateProfileAction } from "../actions";

/** Every profile field: the gate's three, then the optional full name and location. */
export function ProfileForm({ initialValues }: { initialValues: ProfileInput }) {
  const router = useRouter();
  const { form, submit, message, pending, errorOf } = useActionForm(profileSchema, updateProfileAction, {
    defaultValues: initialValues,
    onSuccess: () => router.refresh(),
  });
  const country = form.watch("country");
  const regions = country ? REGIONS[country] : undefined;
  const postal = country ? POSTAL_FORMATS[country] : undefined;
  return (
    <Card>
      <FormShell onSubmit={submit} message={message} pending={pending} submitLabel="Save changes" label="Your profile">
        <TextField id="name" label="Display name" autoComplete="nickname" error={errorOf("name")} registration={form.register("name")} />
        <UsernameField
          value={form.watch("username") ?? ""}
          current={initialValues.username}
          error={errorOf("username")}
          registration={form.register("username")}
        />
        <TextField id="dob" label="Date of birth" type="date" autoComplete="bday" hint="You must be at least 13." error={errorOf("dob")} registration={form.register("dob")} />
        <TextField id="fullName" label="Full name (optional)" autoComplete="name" error={errorOf("fullName")} registration={form.register("fullName")} />
        <Field id="country" label="Country (optional)" error={errorOf("country")}>
          {(describedBy, invalid) => (
            <Select id="country" autoComplete="country" aria-describedby={describedBy} aria-invalid={invalid || undefined} {...form.register("country")}>
              <option value="">Not set</option>
              {COUNTRIES.map((option) => (
                <option key={option.code} value={option.code}>
                  {option.name}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Field id="state" label="State or region (optional)" error={errorOf("state")}>
          {(describedBy, invalid) =>
            regions ? (
              <Select id="state" aria-describedby={describedBy} aria-invalid={invalid || undefined} {...form.register("state")}>
                <option value="">Not set</option>
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
          label="Postal code (optional)"
          autoComplete="postal-code"
          hint={postal ? `For example ${postal.example}.` : undefined}
          error={errorOf("zip")}
          registration={form.register("zip")}
        />
      </FormShell>
    </Card>
  );
}

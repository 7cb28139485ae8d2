"use client";
import type { UseFormRegisterReturn } from "react-hook-form";
import { Card } from "@/components/ui/card";
import { FormShell } from "@/components/forms/form-shell";
import { useActionForm } from "@/components/forms/use-action-form";
import { discoverySettingsSchema, type DiscoverySettings } from "@/lib/settings/schemas";
import { saveDiscoverySettingsAction } from "../actions";

/** A checkbox announced as a switch: Space toggles it, like any checkbox. */
function Switch({ id, label, description, registration }: { id: string; label: string; description: string; registration: UseFormRegisterReturn }) {
  return (
    <div className="flex items-start justify-between gap-4">
      <div>
        <label htmlFor={id} className="text-sm font-medium text-slate-900">
          {label}
        </label>
        <p id={`${id}-description`} className="text-sm text-slate-600">
          {description}
        </p>
      </div>
      <input
        id={id}
        type="checkbox"
        role="switch"
        aria-describedby={`${id}-description`}
        className="mt-1 h-6 w-11 shrink-0 cursor-pointer appearance-none rounded-full bg-slate-400 transition-colors before:block before:h-5 before:w-5 before:translate-x-0.5 before:translate-y-0.5 before:rounded-full before:bg-white before:transition-transform checked:bg-brand-700 checked:before:translate-x-5.5 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600"
        {...registration}
      />
    </div>
  );
}

export function PrivacyForm({ initialValues, hasVerifiedPhone }: { initialValues: DiscoverySettings; hasVerifiedPhone: boolean }) {
  const { form, submit, message, pending } = useActionForm(discoverySettingsSchema, saveDiscoverySettingsAction, {
    defaultValues: initialValues,
  });
  return (
    <Card title="Who can find you" description="Messaging apps let people start a conversation with you when they can find your account.">
      <FormShell onSubmit={submit} message={message} pending={pending} submitLabel="Save privacy settings" label="Privacy">
        <Switch
          id="discoverable-by-username"
          label="People can find me by username"
          description="Anyone who knows your username can find your account."
          registration={form.register("discoverableByUsername")}
        />
        <Switch
          id="discoverable-by-phone"
          label="People who have my number can find me"
          description={
            hasVerifiedPhone
              ? "People who have your phone number in their contacts can find your account."
              : "Takes effect once you add and confirm a phone number (Phone number settings)."
          }
          registration={form.register("discoverableByPhone")}
        />
      </FormShell>
    </Card>
  );
}

"use client";
import type { UseFormRegisterReturn } from "react-hook-form";
import { TextField } from "@/components/forms/text-field";

/** The reset forms' second factor with two-step verification on: the app's code or a recovery code, in one field. */
export function SecondFactorField({ error, registration }: { error?: string; registration: UseFormRegisterReturn }) {
  return (
    <TextField
      id="second-factor"
      label="Code from your authenticator app"
      autoComplete="one-time-code"
      spellCheck={false}
      hint="Two-step verification is on for this account. No app at hand? Enter one of your recovery codes instead."
      error={error}
      registration={registration}
    />
  );
}

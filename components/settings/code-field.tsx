"use client";
import type { UseFormRegisterReturn } from "react-hook-form";
import { TextField } from "@/components/forms/text-field";

/** The 6-digit code input: numeric keypad, paste and one-time-code autofill. */
export function CodeField({ error, registration, hint }: { error?: string; registration: UseFormRegisterReturn; hint?: string }) {
  return (
    <TextField
      id="code"
      label="6-digit code"
      inputMode="numeric"
      autoComplete="one-time-code"
      maxLength={7}
      spellCheck={false}
      hint={hint}
      error={error}
      registration={registration}
    />
  );
}

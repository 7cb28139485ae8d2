"use client";
import type { UseFormRegisterReturn } from "react-hook-form";
import { TextField } from "./text-field";

// Large digits where the code is the page's only field (the sign-in/sign-up verify page).
const LARGE =
  "block w-full min-h-12 rounded-md border border-slate-300 bg-white px-3 py-2 text-center font-mono text-2xl tracking-[0.4em] text-slate-900 shadow-sm focus:border-brand-600 focus:outline-none focus:ring-2 focus:ring-brand-600/40 aria-[invalid=true]:border-red-600";

/**
 * Every 6-digit code input: numeric keypad, one-time-code autofill, and room for a pasted
 * "123 456" (codeSchema drops the space).
 */
export function CodeField({
  error,
  registration,
  hint,
  large = false,
  autoFocus,
  disabled,
}: {
  error?: string;
  registration: UseFormRegisterReturn;
  hint?: string;
  large?: boolean;
  autoFocus?: boolean;
  disabled?: boolean;
}) {
  return (
    <TextField
      id="code"
      label="6-digit code"
      inputMode="numeric"
      autoComplete="one-time-code"
      maxLength={7}
      pattern="[0-9 ]*"
      spellCheck={false}
      autoFocus={autoFocus}
      disabled={disabled}
      // Only when large: an explicit undefined would replace the input's own classes.
      {...(large ? { className: LARGE } : {})}
      hint={hint}
      error={error}
      registration={registration}
    />
  );
}

"use client";
import { useEffect, useRef, useState, type ComponentProps, type ReactNode } from "react";
import type { UseFormRegisterReturn } from "react-hook-form";
import { Field, Input } from "@/components/ui/field";

/**
 * A labelled input registered with react-hook-form, its error beside it. A password input gets a
 * Show/Hide button, so a person can check what they typed (NIST 800-63B recommends offering it).
 */
export function TextField({
  id,
  label,
  hint,
  error,
  registration,
  type,
  required = false,
  ...inputProps
}: {
  id: string;
  label: string;
  hint?: ReactNode;
  error?: string;
  registration: UseFormRegisterReturn;
} & Omit<ComponentProps<"input">, "id" | "name">) {
  const [revealed, setRevealed] = useState(false);
  const isPassword = type === "password";
  // A shown password is hidden again when its form is submitted: the next form (or the same one,
  // emptied for another try) must not start with its password on screen (issue 25).
  const input = useRef<HTMLInputElement | null>(null);
  useEffect(() => {
    const form = input.current?.form;
    if (!isPassword || !form) return;
    const hide = () => setRevealed(false);
    form.addEventListener("submit", hide);
    return () => form.removeEventListener("submit", hide);
  }, [isPassword]);
  return (
    <Field id={id} label={label} hint={hint} error={error} required={required}>
      {(describedBy, invalid) => {
        const control = (
          <Input
            id={id}
            type={isPassword && revealed ? "text" : type}
            aria-describedby={describedBy}
            aria-invalid={invalid || undefined}
            aria-required={required || undefined}
            {...inputProps}
            {...registration}
            ref={(element) => {
              registration.ref(element);
              input.current = element;
            }}
          />
        );
        if (!isPassword) return control;
        return (
          <div className="flex gap-2">
            {control}
            <button
              type="button"
              aria-controls={id}
              aria-pressed={revealed}
              aria-label={revealed ? "Hide password" : "Show password"}
              onClick={() => setRevealed((value) => !value)}
              className="min-h-11 shrink-0 rounded-md border border-slate-300 bg-white px-3 text-sm font-medium text-slate-800 hover:bg-slate-100 focus-visible:outline focus-visible:outline-2 focus-visible:outline-brand-600"
            >
              {revealed ? "Hide" : "Show"}
            </button>
          </div>
        );
      }}
    </Field>
  );
}

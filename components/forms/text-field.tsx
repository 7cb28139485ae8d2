"use client";
import type { ComponentProps, ReactNode } from "react";
import type { UseFormRegisterReturn } from "react-hook-form";
import { Field, Input } from "@/components/ui/field";

/** A labelled input registered with react-hook-form, its error beside it. */
export function TextField({
  id,
  label,
  hint,
  error,
  registration,
  ...inputProps
}: {
  id: string;
  label: string;
  hint?: ReactNode;
  error?: string;
  registration: UseFormRegisterReturn;
} & Omit<ComponentProps<"input">, "id" | "name">) {
  return (
    <Field id={id} label={label} hint={hint} error={error}>
      {(describedBy, invalid) => (
        <Input id={id} aria-describedby={describedBy} aria-invalid={invalid || undefined} {...inputProps} {...registration} />
      )}
    </Field>
  );
}

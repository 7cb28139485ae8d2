"use client";
import type { UseFormRegisterReturn } from "react-hook-form";
import { TextField } from "@/components/forms/text-field";

export function NewPasswordField({ error, registration }: { error?: string; registration: UseFormRegisterReturn }) {
  return (
    <TextField
      id="new-password"
      label="New password"
      type="password"
      autoComplete="new-password"
      hint="8 to 128 characters. A long phrase is easy to remember and hard to guess. Every other session will be signed out."
      error={error}
      registration={registration}
    />
  );
}

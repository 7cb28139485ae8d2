"use client";
import type { ReactNode } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import type { FormMessage } from "./use-action-form";

/** A form with its live message region and a submit button that shows the pending state. */
export function FormShell({
  onSubmit,
  message,
  pending,
  submitLabel,
  children,
  label,
  submitHidden = false,
  submitVariant = "primary",
}: {
  onSubmit: () => void;
  message: FormMessage;
  pending: boolean;
  submitLabel: string;
  children: ReactNode;
  label?: string;
  /** When nothing can be submitted any more and another action takes over (a spent code). */
  submitHidden?: boolean;
  /** "danger" for a submit that destroys something. */
  submitVariant?: "primary" | "danger";
}) {
  return (
    <form onSubmit={onSubmit} noValidate aria-label={label} className="space-y-4">
      {message ? <Alert tone={message.tone}>{message.text}</Alert> : null}
      {children}
      {submitHidden ? null : (
        <Button type="submit" variant={submitVariant} pending={pending} className="w-full">
          {submitLabel}
        </Button>
      )}
    </form>
  );
}

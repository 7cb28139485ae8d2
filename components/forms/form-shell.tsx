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
}: {
  onSubmit: () => void;
  message: FormMessage;
  pending: boolean;
  submitLabel: string;
  children: ReactNode;
  label?: string;
}) {
  return (
    <form onSubmit={onSubmit} noValidate aria-label={label} className="space-y-4">
      {message ? <Alert tone={message.tone}>{message.text}</Alert> : null}
      {children}
      <Button type="submit" pending={pending} className="w-full">
        {submitLabel}
      </Button>
    </form>
  );
}

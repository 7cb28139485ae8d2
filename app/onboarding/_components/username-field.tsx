"use client";
import { useEffect, useState } from "react";
import type { UseFormRegisterReturn } from "react-hook-form";
import { TextField } from "@/components/forms/text-field";
import { usernameSchema } from "@/lib/validation/profile";
import { checkUsernameAction } from "../actions";

type Availability = "idle" | "current" | "checking" | "available" | "taken";

/**
 * Asks the server whether the typed username is free, 400 ms after typing stops. The saved
 * username (`current`) is the person's own: not "available", and not worth asking about.
 */
function useUsernameAvailability(username: string, current: string): Availability {
  const [answer, setAnswer] = useState<{ username: string; available: boolean } | null>(null);
  const parsed = usernameSchema.safeParse(username);
  const candidate = parsed.success && parsed.data !== current ? parsed.data : null;
  useEffect(() => {
    if (!candidate) return;
    let current = true;
    const timer = setTimeout(async () => {
      const result = await checkUsernameAction({ username: candidate });
      if (current && result.ok) setAnswer({ username: candidate, available: result.data.available });
    }, 400);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [candidate]);
  if (parsed.success && parsed.data === current) return "current";
  if (!candidate) return "idle";
  if (answer?.username !== candidate) return "checking";
  return answer.available ? "available" : "taken";
}

const AVAILABILITY_HINT: Record<Availability, string> = {
  idle: "3 to 30 letters, digits or underscores.",
  checking: "Checking…",
  current: "This is your username.",
  available: "✓ This username is available.",
  // Said once, as the field's error.
  taken: "",
};

/** The username input of the profile gate and the profile settings page, with its live availability hint. */
export function UsernameField({
  value,
  current = "",
  error,
  registration,
}: {
  value: string;
  current?: string;
  error?: string;
  registration: UseFormRegisterReturn;
}) {
  const availability = useUsernameAvailability(value, current);
  return (
    <TextField
      id="username"
      label="Username"
      autoComplete="username"
      autoCapitalize="none"
      spellCheck={false}
      hint={<span aria-live="polite">{AVAILABILITY_HINT[availability]}</span>}
      error={error ?? (availability === "taken" ? "That username is taken. Try another." : undefined)}
      registration={registration}
    />
  );
}

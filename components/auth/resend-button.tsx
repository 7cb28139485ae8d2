"use client";
import { useEffect, useState } from "react";
import { Button } from "@/components/ui/button";
import type { FormMessage } from "@/components/forms/use-action-form";
import type { ActionResult } from "@/lib/actions";

/** The wait between two codes (DECISIONS.md §2); the server enforces it, this only shows it. */
export const RESEND_COOLDOWN_SECONDS = 60;

/**
 * "Send a new code", disabled with a visible countdown while the cooldown runs: from the wait the
 * server gave the page (`waitSeconds`, so a reload keeps counting to the same deadline), again after
 * each resend, or for the wait the server asks for. The outcome goes to `onMessage`, for the form's
 * message area, and a sent code to `onSent`. `primary` when it is the only thing left to do.
 */
export function ResendButton({
  resend,
  onMessage,
  onSent,
  waitSeconds = RESEND_COOLDOWN_SECONDS,
  primary = false,
}: {
  resend: () => Promise<ActionResult<unknown>>;
  onMessage: (message: FormMessage) => void;
  onSent?: () => void;
  waitSeconds?: number;
  primary?: boolean;
}) {
  // Counted from a deadline, not by decrementing: a throttled background tab stays accurate.
  const [deadline, setDeadline] = useState(() => Date.now() + waitSeconds * 1000);
  const [now, setNow] = useState(() => Date.now());
  const [pending, setPending] = useState(false);
  const secondsLeft = Math.max(0, Math.ceil((deadline - now) / 1000));

  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);

  const onClick = async () => {
    setPending(true);
    const result = await resend();
    setPending(false);
    const wait = result.ok ? RESEND_COOLDOWN_SECONDS : (result.retryAfterSeconds ?? 0);
    setNow(Date.now());
    setDeadline(Date.now() + wait * 1000);
    if (result.ok) onSent?.();
    onMessage(result.ok ? { tone: "success", text: result.message ?? "We sent a new code." } : { tone: "error", text: result.message });
  };

  return (
    <Button type="button" variant={primary ? "primary" : "secondary"} className="w-full" onClick={onClick} pending={pending} disabled={secondsLeft > 0}>
      {secondsLeft > 0 ? `Send a new code in ${secondsLeft} s` : "Send a new code"}
    </Button>
  );
}

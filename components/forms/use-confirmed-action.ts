"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { ActionResult } from "@/lib/actions";

export type ActionOutcome = { ok: boolean; text: string };

/**
 * State of a button whose action runs only after a second, explicit confirmation: `confirm` runs
 * it, closes the confirmation, keeps the outcome to announce and, on success, refreshes the page's
 * server data.
 */
export function useConfirmedAction(run: () => Promise<ActionResult<unknown>>) {
  const router = useRouter();
  const [confirming, setConfirming] = useState(false);
  const [pending, setPending] = useState(false);
  const [outcome, setOutcome] = useState<ActionOutcome | null>(null);

  const confirm = async () => {
    setPending(true);
    const result = await run();
    setPending(false);
    setConfirming(false);
    setOutcome({ ok: result.ok, text: result.ok ? (result.message ?? "Done.") : result.message });
    if (result.ok) router.refresh();
  };

  return { confirming, setConfirming, pending, outcome, setOutcome, confirm };
}

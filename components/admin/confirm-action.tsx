"use client";
import { useId } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { useConfirmedAction } from "@/components/forms/use-confirmed-action";
import type { ActionResult } from "@/lib/actions";

/**
 * A button whose action runs only after a second, explicit confirmation. The outcome is announced
 * in a live region and the page's server data is refreshed.
 */
export function ConfirmAction({
  label,
  question,
  confirmLabel,
  run,
  destructive = true,
}: {
  label: string;
  question: string;
  confirmLabel: string;
  run: () => Promise<ActionResult<unknown>>;
  destructive?: boolean;
}) {
  const questionId = useId();
  const { confirming, setConfirming, pending, outcome, setOutcome, confirm } = useConfirmedAction(run);

  return (
    <div className="space-y-2">
      {confirming ? (
        <div role="group" aria-labelledby={questionId} className={`space-y-2 rounded-md border p-3 ${destructive ? "border-red-200 bg-red-50" : "border-slate-200 bg-slate-50"}`}>
          <p id={questionId} className={`text-sm wrap-anywhere ${destructive ? "text-red-900" : "text-slate-800"}`}>
            {question}
          </p>
          <div className="flex flex-wrap gap-2">
            <Button type="button" variant={destructive ? "danger" : "primary"} pending={pending} onClick={() => void confirm()}>
              {confirmLabel}
            </Button>
            <Button type="button" variant="ghost" onClick={() => setConfirming(false)} disabled={pending}>
              Cancel
            </Button>
          </div>
        </div>
      ) : (
        // The label may carry a person's device name: it wraps anywhere rather than widen the page.
        <Button type="button" variant={destructive ? "danger-outline" : "secondary"} className="max-w-full wrap-anywhere" onClick={() => { setOutcome(null); setConfirming(true); }}>
          {label}
        </Button>
      )}
      {outcome ? <Alert tone={outcome.ok ? "success" : "error"}>{outcome.text}</Alert> : null}
    </div>
  );
}

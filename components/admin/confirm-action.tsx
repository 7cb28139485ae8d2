"use client";
import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
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
  const router = useRouter();
  const questionId = useId();
  const [confirming, setConfirming] = useState(false);
  const [pending, setPending] = useState(false);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);

  const confirm = async () => {
    setPending(true);
    const result = await run();
    setPending(false);
    setConfirming(false);
    setOutcome({ ok: result.ok, text: result.ok ? (result.message ?? "Done.") : result.message });
    if (result.ok) router.refresh();
  };

  return (
    <div className="space-y-2">
      {confirming ? (
        <div role="group" aria-labelledby={questionId} className={`space-y-2 rounded-md border p-3 ${destructive ? "border-red-200 bg-red-50" : "border-slate-200 bg-slate-50"}`}>
          <p id={questionId} className={`text-sm ${destructive ? "text-red-900" : "text-slate-800"}`}>
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
        <Button type="button" variant="secondary" onClick={() => { setOutcome(null); setConfirming(true); }}>
          {label}
        </Button>
      )}
      {outcome ? <Alert tone={outcome.ok ? "success" : "error"}>{outcome.text}</Alert> : null}
    </div>
  );
}

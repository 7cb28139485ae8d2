"use client";
import { useId, useState, type KeyboardEvent, type ReactNode } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { useConfirmedAction } from "@/components/forms/use-confirmed-action";
import type { ActionResult } from "@/lib/actions";

export type Removal = {
  /** The button's verb, e.g. "Remove" or "Sign out". */
  verb: string;
  question: ReactNode;
  confirmLabel: string;
  run: () => Promise<ActionResult<unknown>>;
};

/**
 * One row of a settings list (passkeys, devices) with an inline rename form and an inline,
 * confirmed removal. Keyboard users never lose their place: Escape cancels either panel and focus
 * goes back to the button that opened it; after a removal focus moves to the list, since the row is
 * about to disappear.
 */
export function ManagedItem({
  name,
  badge,
  icon,
  details,
  renameForm,
  removal,
}: {
  name: string;
  badge?: ReactNode;
  /** Shown before the name (a device's kind). */
  icon?: ReactNode;
  details: ReactNode;
  renameForm: (close: () => void) => ReactNode;
  removal?: Removal;
}) {
  const id = useId();
  const [renameButtonId, removeButtonId] = [`${id}-rename`, `${id}-remove`];
  const focus = (elementId: string) => document.getElementById(elementId)?.focus();
  const [renaming, setRenaming] = useState(false);
  const { confirming, setConfirming, pending, outcome, confirm } = useConfirmedAction(async () => {
    const result = await removal!.run();
    if (result.ok) document.getElementById(removeButtonId)?.closest("ul")?.focus();
    return result;
  });

  const closeRename = () => {
    setRenaming(false);
    focus(renameButtonId);
  };
  const cancelRemoval = () => {
    setConfirming(false);
    focus(removeButtonId);
  };
  const onEscape = (close: () => void) => (event: KeyboardEvent) => {
    if (event.key !== "Escape") return;
    event.preventDefault();
    close();
  };

  return (
    <li className="space-y-3 py-4" aria-label={name}>
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div className="flex min-w-0 gap-3">
          {icon}
          <div className="min-w-0">
            <p className="wrap-anywhere font-semibold text-slate-900">
              {name}
              {badge}
            </p>
            {details}
          </div>
        </div>
        <div className="flex flex-wrap gap-2">
          <Button id={renameButtonId} type="button" variant="secondary" onClick={() => (renaming ? closeRename() : setRenaming(true))} aria-expanded={renaming}>
            Rename<span className="sr-only"> {name}</span>
          </Button>
          {removal ? (
            <Button id={removeButtonId} type="button" variant="secondary" onClick={() => setConfirming(true)} aria-expanded={confirming}>
              {removal.verb}
              <span className="sr-only"> {name}</span>
            </Button>
          ) : null}
        </div>
      </div>
      {removal && confirming ? (
        <div className="space-y-2 rounded-md border border-red-200 bg-red-50 p-3" role="group" aria-label={`${removal.verb} ${name}?`} onKeyDown={onEscape(cancelRemoval)}>
          <p className="text-sm text-red-900">{removal.question}</p>
          <div className="flex flex-wrap gap-2">
            <Button type="button" variant="danger" pending={pending} onClick={confirm} autoFocus>
              {removal.confirmLabel}
            </Button>
            <Button type="button" variant="ghost" onClick={cancelRemoval}>
              Cancel
            </Button>
          </div>
        </div>
      ) : null}
      {outcome && !outcome.ok ? <Alert tone="error">{outcome.text}</Alert> : null}
      {renaming ? <div onKeyDown={onEscape(closeRename)}>{renameForm(closeRename)}</div> : null}
    </li>
  );
}

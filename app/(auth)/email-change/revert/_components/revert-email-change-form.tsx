"use client";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button, LinkButton } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { revertContactChangeAction } from "../actions";

/**
 * A button, not an automatic revert on opening the link: mail scanners that fetch links must not
 * undo a change nobody asked to undo.
 */
export function RevertEmailChangeForm({ token }: { token: string }) {
  const [pending, setPending] = useState(false);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);

  if (outcome?.ok) {
    return (
      <Card>
        <div className="space-y-4">
          <Alert tone="success">{outcome.text}</Alert>
          <p className="text-slate-700">Sign in again, then change your password if someone else made that change.</p>
          <LinkButton href="/sign-in" className="w-full">
            Sign in
          </LinkButton>
        </div>
      </Card>
    );
  }

  return (
    <Card description="This restores the email address this link was sent to and signs out every device and browser on the account.">
      <div className="space-y-4">
        {outcome ? <Alert tone="error">{outcome.text}</Alert> : null}
        <Button
          type="button"
          className="w-full"
          pending={pending}
          disabled={!token}
          onClick={async () => {
            setPending(true);
            const result = await revertContactChangeAction({ token });
            setPending(false);
            setOutcome({ ok: result.ok, text: result.ok ? (result.message ?? "Done.") : result.message });
          }}
        >
          Restore my address and sign out everywhere
        </Button>
        {!token ? <Alert tone="error">This link is incomplete. Open it again from the mail.</Alert> : null}
      </div>
    </Card>
  );
}

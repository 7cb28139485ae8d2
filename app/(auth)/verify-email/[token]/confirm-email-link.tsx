"use client";
import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { completeSignIn } from "@/components/auth/complete-sign-in";
import type { EmailLinkPreview } from "@/lib/accounts/sign-up";
import { confirmEmailLinkAction } from "./actions";

type State = { kind: "asking" } | { kind: "working" } | { kind: "failed"; message: string };

const deadLink = "This link has expired or was already used. Sign in, or sign up again for a new link.";

/**
 * Confirms on load from the browser, not in the page's GET: mail scanners that fetch links do not
 * run scripts, so they cannot use up the single-use link. Only the browser that started the
 * sign-up, signed in as nobody else, confirms by itself; anywhere else the page names the address
 * and waits for a click, so a link someone sent you cannot sign you into their account (ADR 0075).
 */
export function ConfirmEmailLink({ token, preview }: { token: string; preview: EmailLinkPreview }) {
  const confirmOnLoad = preview.usable && preview.confirmOnLoad;
  const [state, setState] = useState<State>(
    !preview.usable ? { kind: "failed", message: deadLink } : confirmOnLoad ? { kind: "working" } : { kind: "asking" },
  );
  const started = useRef(false);

  const confirm = async (clicked: boolean) => {
    setState({ kind: "working" });
    const result = await confirmEmailLinkAction({ token, clicked });
    if (!result.ok) return setState({ kind: "failed", message: result.message });
    if (!(await completeSignIn(result.data.destination))) {
      setState({ kind: "failed", message: "Your address is confirmed, but signing in did not finish. Sign in to continue." });
    }
  };

  useEffect(() => {
    if (started.current || !confirmOnLoad) return;
    started.current = true;
    void confirm(false);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- runs once per page load
  }, []);

  if (state.kind === "failed" || !preview.usable) {
    return (
      <Card>
        <div className="space-y-4">
          <Alert tone="error">{state.kind === "failed" ? state.message : deadLink}</Alert>
          <Link href="/sign-in" className="font-medium text-brand-700 underline">
            Go to sign-in
          </Link>
        </div>
      </Card>
    );
  }
  return (
    <Card>
      <div className="space-y-4">
        {state.kind === "working" ? (
          <Alert tone="info">Confirming your address and signing you in…</Alert>
        ) : (
          <>
            <p className="break-words text-slate-800">
              This link confirms <strong>{preview.email}</strong> and signs this browser in to that new account.
              {preview.replacesSession ? " You will be signed out of the account you are using now." : ""}
            </p>
            <p className="text-sm text-slate-600">If you did not sign up with this address yourself, close this page.</p>
          </>
        )}
        <Button type="button" variant={state.kind === "asking" ? "primary" : "secondary"} className="w-full" onClick={() => void confirm(true)} pending={state.kind === "working" && !confirmOnLoad}>
          Confirm {preview.email} and sign in
        </Button>
      </div>
    </Card>
  );
}

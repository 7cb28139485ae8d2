"use client";
import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { completeSignIn } from "@/components/auth/complete-sign-in";
import { confirmEmailLinkAction } from "./actions";

type State = { kind: "working" } | { kind: "failed"; message: string };

/**
 * Confirms on load from the browser, not in the page's GET: mail scanners that fetch links do not
 * run scripts, so they cannot use up the single-use link. The button is the fallback.
 */
export function ConfirmEmailLink({ token }: { token: string }) {
  const [state, setState] = useState<State>({ kind: "working" });
  const started = useRef(false);

  const confirm = async () => {
    setState({ kind: "working" });
    const result = await confirmEmailLinkAction({ token });
    if (!result.ok) return setState({ kind: "failed", message: result.message });
    if (!(await completeSignIn(result.data.destination))) {
      setState({ kind: "failed", message: "Your address is confirmed, but signing in did not finish. Sign in to continue." });
    }
  };

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    void confirm();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- runs once per page load
  }, []);

  return (
    <Card>
      {state.kind === "working" ? (
        <div className="space-y-4">
          <Alert tone="info">Confirming your address and signing you in…</Alert>
          <Button type="button" variant="secondary" className="w-full" onClick={() => void confirm()}>
            Confirm and sign in
          </Button>
        </div>
      ) : (
        <div className="space-y-4">
          <Alert tone="error">{state.message}</Alert>
          <Link href="/sign-in" className="font-medium text-brand-700 underline">
            Go to sign-in
          </Link>
        </div>
      )}
    </Card>
  );
}

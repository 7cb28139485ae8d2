"use client";
import { useEffect, useState } from "react";
import { browserSupportsWebAuthnAutofill } from "@simplewebauthn/browser";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { passkeySignInAction, startPasskeySignInAction } from "../actions";
import { completeSignIn } from "@/components/auth/complete-sign-in";
import { answerWithPasskey } from "@/components/auth/passkey-ceremony";

const signInWithPasskey = (autofill: boolean) => answerWithPasskey(() => startPasskeySignInAction({}), passkeySignInAction, autofill);

/**
 * "Sign in with a passkey", and passkey autofill: where the browser supports conditional
 * mediation, the identifier fields (autocomplete "username webauthn") offer saved passkeys and
 * picking one signs in without the button.
 */
export function PasskeySignIn() {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const finish = async (result: Awaited<ReturnType<typeof signInWithPasskey>>) => {
    if (!result) return;
    if (!result.ok) {
      setError(result.message);
      return;
    }
    if (!(await completeSignIn(result.data.destination))) setError("Signing in did not finish. Please try again.");
  };

  useEffect(() => {
    void browserSupportsWebAuthnAutofill().then(async (autofill) => {
      // A failed autofill start (rate limit, network) only means no suggestions: say nothing.
      if (autofill) await signInWithPasskey(true).then(finish, () => undefined);
    });
  }, []);

  const onClick = async () => {
    setPending(true);
    setError(null);
    await finish(await signInWithPasskey(false));
    setPending(false);
  };

  return (
    <Card title="Sign in with a passkey" description="Use the passkey saved on this device, your phone or your password manager. Nothing to type.">
      <div className="space-y-3">
        {error ? <Alert tone="error">{error}</Alert> : null}
        <Button type="button" className="w-full" pending={pending} onClick={onClick}>
          Sign in with a passkey
        </Button>
      </div>
    </Card>
  );
}

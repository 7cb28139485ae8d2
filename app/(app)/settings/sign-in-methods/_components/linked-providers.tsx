"use client";
import { signIn } from "next-auth/react";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { useConfirmedAction } from "@/components/forms/use-confirmed-action";
import { startLinkAction, unlinkProviderAction } from "../actions";
import { SIGN_IN_METHODS_PATH } from "../link-intent";

/** "Link Google": the intent is recorded, then the browser goes through the provider's sign-in. */
export function LinkProviderButton({ provider }: { provider: { id: string; name: string } }) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const link = async () => {
    setPending(true);
    setError(null);
    const result = await startLinkAction({ provider: provider.id });
    if (result.ok) {
      await signIn(provider.id, { callbackUrl: SIGN_IN_METHODS_PATH });
      return;
    }
    setPending(false);
    setError(result.message);
  };
  return (
    <div className="space-y-2">
      {error ? <Alert tone="error">{error}</Alert> : null}
      <Button type="button" variant="secondary" className="w-full" pending={pending} onClick={link}>
        Link {provider.name}
      </Button>
    </div>
  );
}

export function UnlinkProviderButton({ identityId, name }: { identityId: string; name: string }) {
  const unlink = useConfirmedAction(() => unlinkProviderAction({ identityId }));
  return (
    <div className="space-y-2">
      {unlink.outcome ? <Alert tone={unlink.outcome.ok ? "success" : "error"}>{unlink.outcome.text}</Alert> : null}
      {unlink.confirming ? (
        <div className="flex flex-wrap gap-2" role="group" aria-label={`Confirm unlinking ${name}`}>
          <Button type="button" variant="danger" pending={unlink.pending} onClick={unlink.confirm}>
            Yes, unlink {name}
          </Button>
          <Button type="button" variant="secondary" onClick={() => unlink.setConfirming(false)}>
            Keep it
          </Button>
        </div>
      ) : (
        <Button type="button" variant="secondary" onClick={() => unlink.setConfirming(true)}>
          Unlink {name}
        </Button>
      )}
    </div>
  );
}

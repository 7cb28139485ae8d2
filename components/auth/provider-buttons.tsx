"use client";
import { signIn } from "next-auth/react";
import { useState } from "react";
import { Button } from "@/components/ui/button";

/**
 * "Continue with …", one button per configured OpenID Connect provider (ADR 0083); nothing when
 * none is configured. next-auth starts the authorization-code flow (PKCE, state, nonce).
 */
export function ProviderButtons({ providers }: { providers: { id: string; name: string }[] }) {
  const [pending, setPending] = useState<string | null>(null);
  if (providers.length === 0) return null;
  return (
    <div className="space-y-2" data-testid="provider-buttons">
      {providers.map((provider) => (
        <Button
          key={provider.id}
          type="button"
          variant="secondary"
          className="w-full"
          pending={pending === provider.id}
          onClick={() => {
            setPending(provider.id);
            void signIn(provider.id, { callbackUrl: "/home" });
          }}
        >
          Continue with {provider.name}
        </Button>
      ))}
    </div>
  );
}

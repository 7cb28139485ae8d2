import { Alert } from "@/components/ui/alert";
import { ProviderButtons } from "@/components/auth/provider-buttons";
import { providerRefusal, type ProviderRefusal } from "@/lib/accounts/oidc-sign-in";
import { oidcProviders } from "@/lib/env";

const REFUSALS: ProviderRefusal[] = ["link_first", "email_unverified"];

// What the page says after a provider's callback signed nobody in: a refusal by
// lib/accounts/oidc-sign-in.ts (?refused=), or next-auth's failed checks (?error=: a wrong state,
// a spent code, a bad ID token).
function messageFor(params: Record<string, string | string[] | undefined>): string | null {
  const provider = oidcProviders().find((candidate) => candidate.id === params.provider);
  const refused = REFUSALS.find((code) => code === params.refused);
  if (refused && provider) return providerRefusal(refused, provider).message;
  if (params.refused !== undefined || params.error !== undefined) return "Signing in with that provider did not work. Try again.";
  return null;
}

/** "Continue with …" buttons for sign-in and sign-up, and what a provider's callback reported. */
export function ProviderSignIn({ params }: { params: Record<string, string | string[] | undefined> }) {
  const providers = oidcProviders().map(({ id, name }) => ({ id, name }));
  const message = messageFor(params);
  return (
    <>
      {message ? <Alert tone="error">{message}</Alert> : null}
      <ProviderButtons providers={providers} />
    </>
  );
}

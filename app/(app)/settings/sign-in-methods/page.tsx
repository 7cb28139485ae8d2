import type { Metadata } from "next";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { LocalTime } from "@/components/ui/local-time";
import { ReauthenticatePanel } from "@/app/_reauthentication/reauthenticate-panel";
import { requireCompleteProfile } from "@/lib/auth/current";
import { hasRecentSignIn } from "@/lib/auth/recent-sign-in";
import { oidcProviders } from "@/lib/env";
import { reauthenticationMethods } from "@/lib/settings/reauthenticate";
import { signInMethodsOf } from "@/lib/settings/sign-in-methods";
import { LinkProviderButton, UnlinkProviderButton } from "./_components/linked-providers";

export const metadata: Metadata = { title: "Sign-in methods" };

// What the provider's callback (app/api/auth/[...nextauth]/provider-sign-in.ts) reports back.
const LINK_ERRORS: Record<string, string> = {
  link_expired: "Linking took too long or was started elsewhere. Try again.",
  reauthentication_required: "For your security, confirm it's you again, then link.",
  identity_linked_elsewhere: "That account already signs in to another Latchkey account. Unlink it there first.",
  provider_already_linked: "Your account already has an account of that provider linked. Unlink it first.",
};

export default async function SignInMethodsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { user, ...session } = await requireCompleteProfile();
  const providers = oidcProviders();
  const view = await signInMethodsOf(user.id, providers);
  const params = await searchParams;
  const linked = providers.find((provider) => provider.id === params.linked);
  const error = typeof params.error === "string" ? (LINK_ERRORS[params.error] ?? "Linking did not work. Try again.") : null;
  const recent = hasRecentSignIn(session);
  return (
    <>
      {linked ? <Alert tone="success">{linked.name} is linked: you can now continue with {linked.name} when you sign in.</Alert> : null}
      {error ? <Alert tone="error">{error}</Alert> : null}
      <Card title="Sign-in methods" description="Every way into your account.">
        <ul className="divide-y divide-slate-200 text-sm text-slate-800" data-testid="sign-in-methods">
          <li className="py-2">Password: {view.hasPassword ? "set" : "none"}</li>
          <li className="py-2">Passkeys: {view.passkeys}</li>
          <li className="py-2">
            Codes by email: {view.email?.verified ? view.email.address : "none"}
            {view.phone ? `; by text: ${view.phone}` : ""}
          </li>
          <li className="py-2">Two-step verification: {view.twoStep ? "on" : "off"}</li>
        </ul>
      </Card>
      {providers.length > 0 || view.linked.length > 0 ? (
        <Card title="Linked accounts" description="Accounts at other services that sign you in with “Continue with …”.">
          <ul className="space-y-4" data-testid="linked-providers">
            {view.linked.map((identity) => (
              <li key={identity.id} className="space-y-2 text-sm text-slate-800">
                <p>
                  <strong>{identity.name}</strong>
                  {identity.email ? ` (${identity.email})` : ""}, linked <LocalTime value={identity.linkedAt} />
                  {identity.lastUsedAt ? (
                    <>
                      , last used <LocalTime value={identity.lastUsedAt} />
                    </>
                  ) : null}
                </p>
                {recent ? <UnlinkProviderButton identityId={identity.id} name={identity.name} /> : null}
              </li>
            ))}
            {view.linked.length === 0 ? <li className="text-sm text-slate-700">None linked.</li> : null}
          </ul>
          {recent && view.linkable.length > 0 ? (
            <div className="mt-4 space-y-2">
              {view.linkable.map((provider) => (
                <LinkProviderButton key={provider.id} provider={provider} />
              ))}
            </div>
          ) : null}
        </Card>
      ) : null}
      {/* Linking and unlinking change the ways into the account: a recent proof of who is here first. */}
      {!recent && (view.linked.length > 0 || view.linkable.length > 0) ? <ReauthenticatePanel methods={await reauthenticationMethods(user)} /> : null}
    </>
  );
}

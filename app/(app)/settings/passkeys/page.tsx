import type { Metadata } from "next";
import { Card } from "@/components/ui/card";
import { AddPasskey, PasskeyList } from "./_components/passkey-list";
import { ReauthenticatePanel } from "@/app/_reauthentication/reauthenticate-panel";
import { requireCompleteProfile } from "@/lib/auth/current";
import { listAccountPasskeys } from "@/lib/settings/passkeys";
import { hasRecentSignIn } from "@/lib/auth/recent-sign-in";
import { reauthenticationMethods } from "@/lib/settings/reauthenticate";

export const metadata: Metadata = { title: "Passkeys" };

export default async function PasskeysSettingsPage() {
  const { user, ...session } = await requireCompleteProfile();
  const passkeys = await listAccountPasskeys(session);
  return (
    <>
      <Card
        title="Passkeys"
        description="Sign in with your fingerprint, face or screen lock instead of a password or code. A passkey works only on this site, so it cannot be phished."
      >
        <PasskeyList passkeys={passkeys} />
      </Card>
      {/* Adding a passkey gives a new way in: only after a recent proof of who is here. */}
      {hasRecentSignIn(session) ? <AddPasskey /> : <ReauthenticatePanel methods={await reauthenticationMethods(user)} />}
    </>
  );
}

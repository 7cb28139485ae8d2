import type { Metadata } from "next";
import { Card } from "@/components/ui/card";
import { ConfirmChangeForm, NewPhoneForm } from "@/components/settings/contact-change";
import { ReauthenticatePanel } from "@/components/settings/reauthenticate-panel";
import { requireCompleteProfile } from "@/lib/auth/current";
import { pendingPhoneOf } from "@/lib/settings/phone-change";
import { hasRecentSignIn } from "@/lib/settings/reauthenticate";

export const metadata: Metadata = { title: "Phone number" };

export default async function PhoneSettingsPage() {
  const { user, ...session } = await requireCompleteProfile();
  const pending = await pendingPhoneOf(user.id);
  return (
    <>
      <Card title="Phone number">
        <p className="text-slate-800">{user.phoneNumber ?? "No phone number yet."}</p>
      </Card>
      {pending ? (
        <ConfirmChangeForm kind="phone" pending={pending} />
      ) : hasRecentSignIn(session) ? (
        <NewPhoneForm />
      ) : (
        <ReauthenticatePanel hasPassword={user.password !== null} codeDestination={user.email ?? user.phoneNumber} />
      )}
    </>
  );
}

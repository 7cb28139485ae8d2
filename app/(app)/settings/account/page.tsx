import type { Metadata } from "next";
import { Card } from "@/components/ui/card";
import { buttonClass } from "@/components/ui/button";
import { DeleteAccountForm } from "./_components/delete-account-form";
import { ReauthenticatePanel } from "@/app/_reauthentication/reauthenticate-panel";
import { requireCompleteProfile } from "@/lib/auth/current";
import { hasRecentSignIn } from "@/lib/auth/recent-sign-in";
import { reauthenticationMethods } from "@/lib/settings/reauthenticate";

export const metadata: Metadata = { title: "Your account" };

export default async function AccountSettingsPage() {
  const { user, ...session } = await requireCompleteProfile();
  return (
    <>
      <Card
        title="Download your data"
        description="A JSON file with your profile, devices, sessions, passkeys and security activity. It holds no password, code or key."
      >
        {/* A plain link: the browser saves the file (Content-Disposition: attachment). */}
        <a href="/settings/account/export" download className={buttonClass("secondary")}>
          Download your data
        </a>
      </Card>
      {hasRecentSignIn(session) ? <DeleteAccountForm /> : <ReauthenticatePanel methods={await reauthenticationMethods(user)} />}
    </>
  );
}

import type { Metadata } from "next";
import { PasswordForm } from "./_components/password-form";
import { ReauthenticatePanel } from "@/app/_reauthentication/reauthenticate-panel";
import { requireCompleteProfile } from "@/lib/auth/current";
import { hasRecentSignIn } from "@/lib/auth/recent-sign-in";
import { reauthenticationMethods } from "@/lib/settings/reauthenticate";

export const metadata: Metadata = { title: "Password" };

export default async function PasswordSettingsPage() {
  const { user, ...session } = await requireCompleteProfile();
  const hasPassword = user.password !== null;
  // Without a password to type, a recent sign-in proves who is setting one.
  if (!hasPassword && !hasRecentSignIn(session)) {
    return <ReauthenticatePanel methods={await reauthenticationMethods(user)} />;
  }
  return <PasswordForm hasPassword={hasPassword} />;
}

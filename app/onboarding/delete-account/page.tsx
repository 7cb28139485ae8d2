import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { requireSession } from "@/lib/auth/current";
import { hasRecentSignIn } from "@/lib/auth/recent-sign-in";
import { reauthenticationMethods } from "@/lib/settings/reauthenticate";
import { DeleteAccountForm } from "@/app/(app)/settings/account/_components/delete-account-form";
import { ReauthenticatePanel } from "@/app/_reauthentication/reauthenticate-panel";

export const metadata: Metadata = { title: "Delete this account" };

export const dynamic = "force-dynamic";

/** Deleting the account from the profile gate, before the app (and its settings) opens: the same confirmation as /settings/account. */
export default async function OnboardingDeleteAccountPage() {
  const { user, ...session } = await requireSession();
  if (user.isProfileComplete) redirect("/settings/account");
  return (
    <main id="main" className="mx-auto w-full max-w-xl space-y-6 px-4 py-10">
      <div className="space-y-1">
        <h1 className="text-2xl font-bold">Delete this account</h1>
        <p className="text-slate-700">
          Changed your mind about signing up? <Link href="/onboarding" className="font-medium text-brand-700 underline">Back to your profile</Link>
        </p>
      </div>
      {hasRecentSignIn(session) ? <DeleteAccountForm /> : <ReauthenticatePanel methods={await reauthenticationMethods(user)} />}
    </main>
  );
}

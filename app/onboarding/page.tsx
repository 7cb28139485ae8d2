import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { requireSession } from "@/lib/auth/current";
import { SignInNoticeAlert } from "@/components/auth/sign-in-notice";
import { ProfileForm } from "./profile-form";

export const metadata: Metadata = { title: "Complete your profile" };

export const dynamic = "force-dynamic";

export default async function OnboardingPage({ searchParams }: { searchParams: Promise<{ notice?: string | string[] }> }) {
  const session = await requireSession();
  const { notice } = await searchParams;
  if (session.user.isProfileComplete) redirect("/home");
  return (
    <main id="main" className="mx-auto w-full max-w-xl space-y-6 px-4 py-10">
      <div className="space-y-1">
        <p className="text-sm font-semibold uppercase tracking-wide text-brand-700">Latchkey</p>
        <h1 className="text-2xl font-bold">Complete your profile</h1>
        <p className="text-slate-700">A few details before you start. You can change them later in your settings.</p>
      </div>
      <SignInNoticeAlert notice={notice} />
      <ProfileForm />
    </main>
  );
}

import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { requireSession } from "@/lib/auth/current";
import { SignInNoticeAlert } from "@/components/auth/sign-in-notice";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { OnboardingForm } from "./_components/onboarding-form";

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
        <p className="text-slate-700">Three details before you start. Your full name and where you live can wait for your settings.</p>
      </div>
      <SignInNoticeAlert notice={notice} />
      <OnboardingForm />
      {/* The gate is no dead end: whoever does not want to go on can leave, or take the account away. */}
      <nav aria-label="Not now" className="flex flex-wrap items-center justify-between gap-3 border-t border-slate-200 pt-4">
        <SignOutButton />
        <Link href="/onboarding/delete-account" className="inline-flex min-h-11 items-center text-sm font-medium text-red-700 underline hover:text-red-800">
          Delete this account
        </Link>
      </nav>
    </main>
  );
}

import Link from "next/link";
import { LinkButton } from "@/components/ui/button";
import { PublicTopBar } from "@/components/public-top-bar";
import { redirectIfSignedIn } from "@/lib/auth/current";

export default async function LandingPage() {
  // Signed in: the account is what this person came for.
  await redirectIfSignedIn();
  return (
    <main id="main" className="mx-auto flex min-h-screen max-w-3xl flex-col justify-center gap-8 px-6 py-16">
      <PublicTopBar />
      <div className="space-y-4">
        <p className="text-sm font-semibold uppercase tracking-wide text-brand-700">Latchkey</p>
        <h1 className="text-4xl font-bold tracking-tight sm:text-5xl">
          Accounts, devices and end-to-end-encryption keys for messaging apps.
        </h1>
        <p className="text-lg text-slate-700">
          Sign up with an email address or a phone number, manage the devices signed in to your account, and let your
          messaging clients publish and fetch Signal-protocol prekeys — all from one small service.
        </p>
      </div>
      <div className="flex flex-wrap gap-3">
        <LinkButton href="/sign-up">Create an account</LinkButton>
        <LinkButton href="/sign-in" variant="secondary">
          Sign in
        </LinkButton>
      </div>
      <p className="text-sm text-slate-600">
        Building a client? Read the API at{" "}
        <Link className="font-medium text-brand-700 underline" href="/api/openapi.json">
          /api/openapi.json
        </Link>
        .
      </p>
    </main>
  );
}

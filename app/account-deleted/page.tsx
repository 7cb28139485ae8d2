import type { Metadata } from "next";
import Link from "next/link";

export const metadata: Metadata = { title: "Account deleted" };

export default function AccountDeletedPage() {
  return (
    <main id="main" className="mx-auto flex min-h-screen w-full max-w-md flex-col justify-center gap-4 px-4 py-10">
      <h1 className="text-2xl font-bold">Your account was deleted</h1>
      <p className="text-slate-700">
        Your profile, devices, sessions, passkeys and encryption keys are gone, and this browser is signed out. We sent a last notice to your
        address.
      </p>
      <Link href="/" className="self-start font-semibold text-brand-700 underline">
        Back to the start page
      </Link>
    </main>
  );
}

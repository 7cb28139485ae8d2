import type { Metadata } from "next";
import Link from "next/link";
import { PasskeySignIn } from "@/components/auth/passkey-sign-in";
import { CodeSignInForm, PasswordSignInForm } from "./sign-in-forms";

export const metadata: Metadata = { title: "Sign in" };

export default function SignInPage() {
  return (
    <>
      <h1 className="text-2xl font-bold">Sign in to Latchkey</h1>
      <PasskeySignIn />
      <CodeSignInForm />
      <PasswordSignInForm />
      <p className="text-sm text-slate-700">
        New here?{" "}
        <Link href="/sign-up" className="font-medium text-brand-700 underline">
          Create an account
        </Link>
      </p>
    </>
  );
}

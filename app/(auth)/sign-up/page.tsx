import type { Metadata } from "next";
import Link from "next/link";
import { redirectIfSignedIn } from "@/lib/auth/current";
import { SignUpForm } from "./sign-up-form";
import { ProviderSignIn } from "../sign-in/_components/provider-sign-in";

export const metadata: Metadata = { title: "Create an account" };

export default async function SignUpPage() {
  await redirectIfSignedIn();
  return (
    <>
      <h1 className="text-2xl font-bold">Create your Latchkey account</h1>
      <ProviderSignIn params={{}} />
      <SignUpForm />
      <p className="text-sm text-slate-700">
        Already have an account?{" "}
        <Link href="/sign-in" className="font-medium text-brand-700 underline">
          Sign in
        </Link>
      </p>
    </>
  );
}

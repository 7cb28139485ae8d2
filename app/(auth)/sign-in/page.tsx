import type { Metadata } from "next";
import Link from "next/link";
import { redirectIfSignedIn } from "@/lib/auth/current";
import { RETURN_PARAM } from "@/lib/auth/return-path";
import { SignInFlow } from "./sign-in-forms";
import { ProviderSignIn } from "./_components/provider-sign-in";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  await redirectIfSignedIn(params[RETURN_PARAM]);
  return (
    <>
      <h1 className="text-2xl font-bold">Sign in to Latchkey</h1>
      <ProviderSignIn params={params} />
      <SignInFlow />
      <p className="text-sm text-slate-700">
        New here?{" "}
        <Link href="/sign-up" className="font-medium text-brand-700 underline">
          Create an account
        </Link>
      </p>
    </>
  );
}

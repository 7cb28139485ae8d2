import type { Metadata } from "next";
import Link from "next/link";
import { Alert } from "@/components/ui/alert";
import { redirectIfSignedIn } from "@/lib/auth/current";
import { RETURN_PARAM } from "@/lib/auth/return-path";
import { currentTwoStepChallenge } from "../../browser-device";
import { TwoStepForm } from "./two-step-form";

export const metadata: Metadata = { title: "Two-step verification" };

export default async function TwoStepSignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await redirectIfSignedIn((await searchParams)[RETURN_PARAM]);
  return (
    <>
      <h1 className="text-2xl font-bold">Two-step verification</h1>
      {(await currentTwoStepChallenge()) ? (
        <TwoStepForm />
      ) : (
        <>
          <Alert tone="error">Your sign-in took too long or was already finished. Sign in again.</Alert>
          <p className="text-sm">
            <Link href="/sign-in" className="font-medium text-brand-700 underline">
              Go to sign-in
            </Link>
          </p>
        </>
      )}
    </>
  );
}

import type { Metadata } from "next";
import { redirectIfSignedIn } from "@/lib/auth/current";
import { RETURN_PARAM } from "@/lib/auth/return-path";
import { currentTwoStepChallenge } from "../../browser-device";
import { TwoStepForm } from "./two-step-form";
import { BackToSignIn } from "@/components/auth/back-to-sign-in";

export const metadata: Metadata = { title: "Two-step verification" };

export default async function TwoStepSignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await redirectIfSignedIn((await searchParams)[RETURN_PARAM]);
  return (
    <>
      <h1 className="text-2xl font-bold">Two-step verification</h1>
      {(await currentTwoStepChallenge()) ? (
        <TwoStepForm />
      ) : (
        <BackToSignIn>Your sign-in took too long or was already finished. Sign in again.</BackToSignIn>
      )}
    </>
  );
}

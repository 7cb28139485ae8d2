import type { Metadata } from "next";
import Link from "next/link";
import { ResetFlow } from "./reset-forms";
import { emailSchema } from "@/lib/validation/contact";

export const metadata: Metadata = { title: "Reset your password" };

/** `?email=` is the address sign-in already has (its "Forgot your password?" link): the form starts with it. */
export default async function ResetPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const email = emailSchema.safeParse((await searchParams).email);
  return (
    <>
      <h1 className="text-2xl font-bold">Reset your password</h1>
      <ResetFlow initialEmail={email.success ? email.data : ""} />
      <p className="text-sm text-slate-700">
        Remembered it?{" "}
        <Link href="/sign-in" className="font-medium text-brand-700 underline">
          Sign in
        </Link>
      </p>
    </>
  );
}

import type { Metadata } from "next";
import Link from "next/link";
import { ResetFlow } from "./reset-forms";

export const metadata: Metadata = { title: "Reset your password" };

export default function ResetPage() {
  return (
    <>
      <h1 className="text-2xl font-bold">Reset your password</h1>
      <ResetFlow />
      <p className="text-sm text-slate-700">
        Remembered it?{" "}
        <Link href="/sign-in" className="font-medium text-brand-700 underline">
          Sign in
        </Link>
      </p>
    </>
  );
}

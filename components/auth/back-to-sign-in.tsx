import Link from "next/link";
import type { ReactNode } from "react";
import { Alert } from "@/components/ui/alert";

/** A sign-in step that cannot go on (expired, already used, missing its address): why, and the way back. */
export function BackToSignIn({ children }: { children: ReactNode }) {
  return (
    <>
      <Alert tone="error">{children}</Alert>
      <p className="text-sm">
        <Link href="/sign-in" className="font-medium text-brand-700 underline">
          Go to sign-in
        </Link>
      </p>
    </>
  );
}

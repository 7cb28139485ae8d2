"use client";
import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { completeSignIn } from "@/components/auth/complete-sign-in";

export function ContinueSignIn({ destination }: { destination: string }) {
  const [failed, setFailed] = useState(false);
  // The ticket redeems once: a second run (React's development double effect) would report failure.
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    completeSignIn(destination).then((done) => setFailed(!done), () => setFailed(true));
  }, [destination]);
  if (!failed) return <p className="text-sm text-slate-700" role="status">One moment.</p>;
  return (
    <>
      <Alert tone="error">This sign-in took too long or was already used. Sign in again.</Alert>
      <p className="text-sm">
        <Link href="/sign-in" className="font-medium text-brand-700 underline">
          Go to sign-in
        </Link>
      </p>
    </>
  );
}

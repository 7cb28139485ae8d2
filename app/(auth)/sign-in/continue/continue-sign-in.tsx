"use client";
import { useEffect, useRef, useState } from "react";
import { completeSignIn } from "@/components/auth/complete-sign-in";
import { BackToSignIn } from "@/components/auth/back-to-sign-in";

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
  return <BackToSignIn>This sign-in took too long or was already used. Sign in again.</BackToSignIn>;
}

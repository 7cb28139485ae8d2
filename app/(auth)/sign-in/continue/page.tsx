import type { Metadata } from "next";
import { safeReturnPath } from "@/lib/auth/return-path";
import { TWO_STEP_PATH } from "../../browser-device";
import { ContinueSignIn } from "./continue-sign-in";

export const metadata: Metadata = { title: "Signing you in" };

/**
 * Where a provider's callback sends the browser (ADR 0083): its sign-in ticket is in an httpOnly
 * cookie like after a password or code, and this page has next-auth redeem it.
 */
export default async function ContinueSignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const to = (await searchParams).to;
  const destination = to === TWO_STEP_PATH ? TWO_STEP_PATH : (safeReturnPath(typeof to === "string" ? to : null) ?? "/home");
  return (
    <>
      <h1 className="text-2xl font-bold">Signing you in…</h1>
      <ContinueSignIn destination={destination} />
    </>
  );
}

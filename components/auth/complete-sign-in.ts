"use client";
import { signIn } from "next-auth/react";
import { RETURN_PARAM, safeReturnPath } from "@/lib/auth/return-path";

/**
 * Where to go after signing in: the page the person was sent to sign in from (`?next=` on this
 * page, if it is a safe path on this site), when the server would take them home anyway. A
 * profile to finish or a notice to read (`/home?notice=…`) comes first.
 */
function afterSignIn(destination: string): string {
  if (destination !== "/home") return destination;
  return safeReturnPath(new URLSearchParams(window.location.search).get(RETURN_PARAM)) ?? destination;
}

/**
 * Finishes a sign-in in the browser: the server action verified the person and set a single-use
 * ticket in an httpOnly cookie; next-auth redeems it and sets the session cookie. Full navigation
 * afterwards, so every server component renders with the new session.
 */
export async function completeSignIn(destination: string): Promise<boolean> {
  // Two-step verification is on: no ticket yet, the authenticator step comes first (keeping ?next=).
  if (destination === "/sign-in/two-step") {
    const next = new URLSearchParams(window.location.search).get(RETURN_PARAM);
    window.location.assign(next ? `${destination}?${new URLSearchParams({ [RETURN_PARAM]: next })}` : destination);
    return true;
  }
  const result = await signIn("ticket", { redirect: false });
  if (!result?.ok) return false;
  window.location.assign(afterSignIn(destination));
  return true;
}

"use client";
import { signIn } from "next-auth/react";

/**
 * Finishes a sign-in in the browser: the server action verified the person and set a single-use
 * ticket in an httpOnly cookie; next-auth redeems it and sets the session cookie. Full navigation
 * afterwards, so every server component renders with the new session.
 */
export async function completeSignIn(destination: string): Promise<boolean> {
  const result = await signIn("ticket", { redirect: false });
  if (!result?.ok) return false;
  window.location.assign(destination);
  return true;
}

import "server-only";
import { cache } from "react";
import { getServerSession } from "next-auth";
import { headers } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { authOptions } from "./next-auth";
import { findLiveSessionById, type LiveSession } from "./sessions";
import { requestContextFrom, type RequestContext } from "../request-context";
import { REQUESTED_PATH_HEADER, safeReturnPath, signInUrl } from "./return-path";
import { twoStepRequiredForAdmins } from "../env";
import { isTwoStepOn } from "../two-step/two-step";

/**
 * The signed-in browser's live session, or null. Checked against the Session row on every
 * request (cached per request), so a revoked session or deactivated user is signed out at once.
 */
export const getCurrentSession = cache(async (): Promise<LiveSession | null> => {
  // Reading the request first marks the page dynamic, so `next build` never tries to prerender it
  // (and never needs AUTH_SECRET or a database to do so).
  await headers();
  const session = await getServerSession(authOptions());
  if (!session?.sid) return null;
  return findLiveSessionById(session.sid);
});

/** Pages and actions that need a signed-in user: redirects to sign-in otherwise, and back here after it. */
export async function requireSession(): Promise<LiveSession> {
  const session = await getCurrentSession();
  if (!session) redirect(signInUrl((await headers()).get(REQUESTED_PATH_HEADER)));
  return session;
}

/**
 * Sign-in, sign-up and the landing page: someone already signed in is taken to their account (or
 * to the safe page they were on their way to) instead of being asked to sign in again.
 */
export async function redirectIfSignedIn(returnTo?: string | string[]): Promise<void> {
  if (!(await getCurrentSession())) return;
  redirect(safeReturnPath(typeof returnTo === "string" ? returnTo : null) ?? "/home");
}

/** App pages: also send users whose profile is incomplete to finish it first. */
export async function requireCompleteProfile(): Promise<LiveSession> {
  const session = await requireSession();
  if (!session.user.isProfileComplete) redirect("/onboarding");
  return session;
}

/**
 * Admin pages and actions: anyone else gets a 404, so the admin area does not reveal itself. With
 * REQUIRE_TWO_STEP_FOR_ADMINS, an admin without two-step verification is sent to set it up first.
 */
export async function requireAdmin(): Promise<LiveSession> {
  const session = await getCurrentSession();
  if (!session || session.user.role !== "ADMIN") notFound();
  if (twoStepRequiredForAdmins() && !(await isTwoStepOn(session.userId))) redirect("/settings/two-step?required=admin");
  return session;
}

export async function currentRequestContext(): Promise<RequestContext> {
  return requestContextFrom(await headers());
}

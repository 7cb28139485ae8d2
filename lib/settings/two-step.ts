import { prisma } from "../db";
import { assertRecentSignIn, type SessionRef } from "../auth/recent-sign-in";
import type { RequestContext } from "../request-context";
import {
  confirmTwoStepSetup,
  regenerateRecoveryCodes,
  startTwoStepSetup,
  turnOffTwoStep,
  type TwoStepSetup,
} from "../two-step/two-step";

// The owner's side of two-step verification (/settings/two-step). Each change needs a recent
// "Confirm it's you": someone at an unlocked, signed-in browser must not lock the owner out, nor
// read fresh recovery codes, nor take the second factor away.

/** Starts setup for this account; the app lists it under the account's address, number or username. */
export async function beginTwoStepSetup(session: SessionRef): Promise<TwoStepSetup> {
  assertRecentSignIn(session);
  const user = await prisma.user.findUniqueOrThrow({ where: { id: session.userId }, select: { email: true, phoneNumber: true, username: true } });
  return startTwoStepSetup(session.userId, user.email ?? user.phoneNumber ?? user.username ?? "account");
}

export async function finishTwoStepSetup(session: SessionRef, code: string, context: RequestContext): Promise<{ recoveryCodes: string[] }> {
  assertRecentSignIn(session);
  return confirmTwoStepSetup(session.userId, code, context);
}

export async function replaceOwnRecoveryCodes(session: SessionRef, context: RequestContext): Promise<{ recoveryCodes: string[] }> {
  assertRecentSignIn(session);
  return regenerateRecoveryCodes(session.userId, context);
}

export async function turnOffOwnTwoStep(session: SessionRef, context: RequestContext): Promise<void> {
  assertRecentSignIn(session);
  await turnOffTwoStep(session.userId, context);
}

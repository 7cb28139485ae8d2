import { AppError } from "../errors";
import { isRecentlyAuthenticated } from "./sessions";

/** How long a proof of identity lets a session change the account's email, phone or password. */
export const RECENT_SIGN_IN_SECONDS = 10 * 60;

export type SessionRef = { id: string; userId: string; deviceId: string; authenticatedAt: Date };

export function hasRecentSignIn(session: { authenticatedAt: Date }): boolean {
  return isRecentlyAuthenticated(session, RECENT_SIGN_IN_SECONDS);
}

export function assertRecentSignIn(session: { authenticatedAt: Date }): void {
  if (!hasRecentSignIn(session)) {
    throw new AppError("reauthentication_required", "For your security, confirm it's you first.", 403);
  }
}

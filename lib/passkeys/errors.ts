import { AppError } from "../errors";

/**
 * A passkey answer that proves nothing: unknown credential, wrong account, bad signature, a
 * signature counter that went backwards. One answer for all, so the sign-in ceremony tells a
 * caller nothing about which credentials or accounts exist.
 */
export const passkeyRefused = () =>
  new AppError("passkey_refused", "That passkey did not work here. Try again, or use another way to sign in.", 401);

/** The challenge was never issued, already answered, or older than 5 minutes. */
export const passkeyChallengeExpired = () =>
  new AppError("passkey_expired", "That passkey request expired or was already used. Please try again.", 400);

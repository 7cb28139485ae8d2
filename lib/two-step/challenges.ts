import { prisma, type Tx } from "../db";
import type { DeviceKind } from "../generated/prisma/enums";
import { hashToken, randomToken } from "../crypto";
import { AppError } from "../errors";
import { TWO_STEP_LIMITS } from "../limits";
import { consumeBurst } from "../rate-limit";

// What a first factor yields when two-step verification is on (ADR 0072): no session, only a
// short-lived, single-use challenge naming the account and how the sign-in began. A browser keeps
// it in an httpOnly cookie, an API client in its next request; only its SHA-256 is stored.

export const CHALLENGE_TTL_SECONDS = 5 * 60;

export type ChallengeStart = { userId: string; kind: DeviceKind; via: string; deviceName?: string; notice?: string };
export type OpenChallenge = { userId: string; kind: DeviceKind; via: string; deviceName: string | null; notice: string | null };

/** Issues a challenge in the first factor's transaction; returns the token to hand out once. */
export async function issueTwoStepChallenge(tx: Tx, start: ChallengeStart): Promise<{ challenge: string; expiresAt: Date }> {
  await consumeBurst(`two-step:challenge:${start.userId}`, TWO_STEP_LIMITS.challenges, tx);
  const challenge = randomToken();
  const expiresAt = new Date(Date.now() + CHALLENGE_TTL_SECONDS * 1000);
  await tx.twoStepChallenge.create({
    data: { tokenHash: hashToken(challenge), userId: start.userId, kind: start.kind, via: start.via, deviceName: start.deviceName, notice: start.notice, expiresAt },
  });
  return { challenge, expiresAt };
}

/**
 * Thrown after the first factor's transaction committed its challenge: the browser's action sets
 * it as a cookie and goes to the authenticator step; the API answers 401 with it in the body.
 */
export class SecondFactorRequired extends AppError {
  constructor(readonly issued: { challenge: string; expiresAt: Date }) {
    super(
      "second_factor_required",
      "Two-step verification is on: send the challenge with a code from the authenticator app, or a recovery code.",
      401,
      undefined,
      { challenge: issued.challenge, expiresAt: issued.expiresAt.toISOString() },
    );
  }
}

export const challengeExpired = () =>
  new AppError("challenge_expired", "Your sign-in took too long or was already finished. Sign in again.", 401);

/** The open challenge behind `challenge` for this kind of sign-in, or 401 challenge_expired. */
export async function findTwoStepChallenge(challenge: string, kind: DeviceKind): Promise<OpenChallenge> {
  const found = await prisma.twoStepChallenge.findUnique({ where: { tokenHash: hashToken(challenge) } });
  if (!found || found.kind !== kind || found.expiresAt <= new Date()) throw challengeExpired();
  return { userId: found.userId, kind: found.kind, via: found.via, deviceName: found.deviceName, notice: found.notice };
}

/** Spends the challenge in the transaction that starts the session: of two concurrent finishes, one wins. */
export async function spendTwoStepChallenge(tx: Tx, challenge: string): Promise<void> {
  const { count } = await tx.twoStepChallenge.deleteMany({ where: { tokenHash: hashToken(challenge), expiresAt: { gt: new Date() } } });
  if (count !== 1) throw challengeExpired();
}

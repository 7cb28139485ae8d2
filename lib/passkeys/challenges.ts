import { prisma } from "../db";
import { hashToken } from "../crypto";
import type { PasskeyCeremony } from "../generated/prisma/enums";
import { passkeyChallengeExpired } from "./errors";

/** A ceremony must finish within this many seconds of its challenge being issued. */
export const CHALLENGE_LIFETIME_SECONDS = 5 * 60;

/**
 * Remembers a challenge the browser was given (its SHA-256 only), for `ceremony` and, when the
 * ceremony is for a signed-in account, that account.
 */
export async function storeChallenge(challenge: string, input: { ceremony: PasskeyCeremony; userId: string | null }): Promise<void> {
  await prisma.passkeyChallenge.create({
    data: {
      challengeHash: hashToken(challenge),
      ceremony: input.ceremony,
      userId: input.userId,
      expiresAt: new Date(Date.now() + CHALLENGE_LIFETIME_SECONDS * 1000),
    },
  });
}

/**
 * Uses up a challenge: true once, for an unexpired challenge issued for this ceremony and account.
 * The delete is the check, so two instances answering the same challenge cannot both succeed.
 */
export async function consumeChallenge(challenge: string, input: { ceremony: PasskeyCeremony; userId: string | null }): Promise<boolean> {
  const { count } = await prisma.passkeyChallenge.deleteMany({
    where: { challengeHash: hashToken(challenge), ceremony: input.ceremony, userId: input.userId, expiresAt: { gt: new Date() } },
  });
  return count === 1;
}

type ChallengeCheck = (challenge: string) => Promise<boolean>;

/**
 * Runs a @simplewebauthn verification with a challenge check that consumes the stored challenge.
 * A verification that fails before or at the challenge is an expired request; one that fails
 * after it (origin, signature, user verification) is `refused()`: the challenge is spent either way.
 */
export async function verifyWithChallenge<T>(
  scope: { ceremony: PasskeyCeremony; userId: string | null },
  verify: (expectedChallenge: ChallengeCheck) => Promise<T>,
  refused: () => Error,
): Promise<T> {
  let consumed = false;
  try {
    return await verify(async (challenge) => (consumed = await consumeChallenge(challenge, scope)));
  } catch {
    throw consumed ? refused() : passkeyChallengeExpired();
  }
}

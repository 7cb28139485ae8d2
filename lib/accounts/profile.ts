import { prisma } from "../db";
import { Prisma } from "../generated/prisma/client";
import { recordAudit } from "../audit";
import { AppError } from "../errors";
import { consumeAllowances, type Allowance } from "../rate-limit";
import type { RequestContext } from "../request-context";
import type { Onboarding, Profile } from "../validation/profile";

const usernameTaken = () => new AppError("username_taken", "That username is taken. Try another.", 409, { field: "username" });

/**
 * The profile form's "is this username free?" check. A username cannot be both free and taken, so
 * the answer reveals that a username exists even when its owner turned discovery off; what bounds
 * that is the budget: each check is charged to `allowances`, the caller's username-lookup budget
 * shared with GET /api/users/by-username (issue 22, item 4; docs/security.md).
 */
export async function checkUsernameAvailable(username: string, userId: string, allowances: Allowance[]): Promise<boolean> {
  await consumeAllowances(allowances);
  return isUsernameAvailable(username, userId);
}

/** For the live hint on the profile form: usernames are stored lower-case, so this is case-insensitive. */
export async function isUsernameAvailable(username: string, forUserId?: string): Promise<boolean> {
  const owner = await prisma.user.findUnique({ where: { username: username.toLowerCase() }, select: { id: true } });
  return !owner || owner.id === forUserId;
}

/**
 * Saves the profile gate's fields (validated by onboardingSchema) or the settings page's
 * (profileSchema, whose empty optional fields clear) and marks the profile complete, which opens
 * the app. The unique index decides a race for the same username.
 */
export async function saveProfile(userId: string, profile: Onboarding | Profile, context: RequestContext): Promise<void> {
  if (!(await isUsernameAvailable(profile.username, userId))) throw usernameTaken();
  try {
    await prisma.$transaction(async (tx) => {
      const before = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { isProfileComplete: true } });
      await tx.user.update({ where: { id: userId }, data: { ...profile, isProfileComplete: true } });
      await recordAudit({ action: before.isProfileComplete ? "user.profile_updated" : "user.profile_completed", userId, context }, tx);
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") throw usernameTaken();
    throw error;
  }
}

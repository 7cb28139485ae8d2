import { prisma } from "../db";
import { Prisma } from "../generated/prisma/client";
import { recordAudit } from "../audit";
import { AppError } from "../errors";
import type { RequestContext } from "../request-context";
import type { Onboarding, Profile } from "../validation/profile";

const usernameTaken = () => new AppError("username_taken", "That username is taken. Try another.", 409, { field: "username" });

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

import { prisma, type Tx } from "../db";
import type { LinkPurpose } from "../generated/prisma/enums";
import type { LinkToken } from "../generated/prisma/client";
import { hashToken, randomToken } from "../crypto";

/** How long each kind of link works (DECISIONS.md §1). */
export const LINK_TTL_SECONDS: Record<LinkPurpose, number> = {
  EMAIL_VERIFICATION: 24 * 3600,
  PASSWORD_RESET: 3600,
  EMAIL_CHANGE_REVERT: 7 * 24 * 3600,
  PHONE_CHANGE_REVERT: 7 * 24 * 3600,
};

/**
 * Creates a single-use link token and returns the raw value once, for the mail. Only its SHA-256
 * is stored; older unused links of the same purpose for the user stop working unless
 * `voidEarlier` is false.
 */
export async function createLinkToken(
  tx: Tx,
  input: { purpose: LinkPurpose; userId: string; email: string | null; phoneNumber?: string | null },
  { voidEarlier = true }: { voidEarlier?: boolean } = {},
): Promise<string> {
  const now = new Date();
  if (voidEarlier) {
    await tx.linkToken.updateMany({
      where: { userId: input.userId, purpose: input.purpose, usedAt: null, expiresAt: { gt: now } },
      data: { expiresAt: now },
    });
  }
  const token = randomToken();
  await tx.linkToken.create({
    data: {
      purpose: input.purpose,
      tokenHash: hashToken(token),
      userId: input.userId,
      email: input.email,
      phoneNumber: input.phoneNumber ?? null,
      expiresAt: new Date(now.getTime() + LINK_TTL_SECONDS[input.purpose] * 1000),
    },
  });
  return token;
}

/** The link token's row while it would still be accepted, without using it: its page can say what it does. */
export async function findUsableLinkToken(token: string, purpose: LinkPurpose): Promise<LinkToken | null> {
  if (!token) return null;
  return prisma.linkToken.findFirst({ where: { tokenHash: hashToken(token), purpose, usedAt: null, expiresAt: { gt: new Date() } } });
}

/** The account of a link token that would still be accepted, without using it; null when it would not. */
export async function usableLinkTokenUserId(token: string, purpose: LinkPurpose): Promise<string | null> {
  return (await findUsableLinkToken(token, purpose))?.userId ?? null;
}

/** Whether a link token would still be accepted, without using it: its page can say so at once. */
export async function isLinkTokenUsable(token: string, purpose: LinkPurpose): Promise<boolean> {
  return (await findUsableLinkToken(token, purpose)) !== null;
}

/** Uses a link token once; null when it is unknown, expired, used, or for another purpose. */
export async function consumeLinkToken(tx: Tx, token: string, purpose: LinkPurpose): Promise<LinkToken | null> {
  if (!token) return null;
  const tokenHash = hashToken(token);
  const { count } = await tx.linkToken.updateMany({
    where: { tokenHash, purpose, usedAt: null, expiresAt: { gt: new Date() } },
    data: { usedAt: new Date() },
  });
  return count === 1 ? tx.linkToken.findUnique({ where: { tokenHash } }) : null;
}

import { prisma, type Tx } from "../db";
import { AppError } from "../errors";
import { Prisma } from "../generated/prisma/client";

// Linked identities (ADR 0083): an account at an OpenID Connect provider, named by the provider's
// id and the ID token's subject, that signs in to one Latchkey account. Found only by (provider,
// subject), never by email: an address a provider reports is no proof of who owns our account.

/** Who the provider says signed in, from an ID token next-auth has already checked. */
export type ProviderIdentity = { provider: string; issuer: string; subject: string; email: string | null };

export type LinkedIdentitySummary = { id: string; provider: string; email: string | null; linkedAt: Date; lastUsedAt: Date | null };

const summary = { id: true, provider: true, email: true, linkedAt: true, lastUsedAt: true } as const;

export function findLinkedIdentity(tx: Tx, identity: { provider: string; subject: string }) {
  return tx.linkedIdentity.findUnique({ where: { provider_subject: { provider: identity.provider, subject: identity.subject } } });
}

export function listLinkedIdentities(userId: string, tx: Tx = prisma): Promise<LinkedIdentitySummary[]> {
  return tx.linkedIdentity.findMany({ where: { userId }, select: summary, orderBy: { linkedAt: "asc" } });
}

export async function markIdentityUsed(tx: Tx, id: string): Promise<void> {
  await tx.linkedIdentity.update({ where: { id }, data: { lastUsedAt: new Date() } });
}

/**
 * Links a provider identity to an account. One identity signs in to one account, and an account
 * links one identity per provider; either clash is the person's to resolve, so a 409 with what to do.
 */
export async function linkIdentity(tx: Tx, userId: string, identity: ProviderIdentity, providerName: string): Promise<LinkedIdentitySummary> {
  const existing = await findLinkedIdentity(tx, identity);
  if (existing && existing.userId !== userId) {
    throw new AppError("identity_linked_elsewhere", `This ${providerName} account already signs in to another Latchkey account. Unlink it there first.`, 409);
  }
  if (existing) return tx.linkedIdentity.findUniqueOrThrow({ where: { id: existing.id }, select: summary });
  try {
    return await tx.linkedIdentity.create({ data: { userId, ...identity, lastUsedAt: new Date() }, select: summary });
  } catch (error) {
    // A concurrent link of the same identity, or a second account of this provider for this user.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw new AppError("provider_already_linked", `Your account already has a ${providerName} account linked. Unlink it first to link another.`, 409);
    }
    throw error;
  }
}

/** Removes one of the user's linked identities; null when it is not theirs (or already gone). */
export async function removeLinkedIdentity(tx: Tx, userId: string, id: string): Promise<LinkedIdentitySummary | null> {
  const identity = await tx.linkedIdentity.findFirst({ where: { id, userId }, select: summary });
  if (!identity) return null;
  await tx.linkedIdentity.delete({ where: { id } });
  return identity;
}

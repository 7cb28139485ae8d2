import { prisma } from "../db";
import { recordAudit } from "../audit";
import { AppError } from "../errors";
import { assertRecentSignIn, type SessionRef } from "../auth/recent-sign-in";
import { linkIdentity, listLinkedIdentities, removeLinkedIdentity, type ProviderIdentity } from "../identities/identities";
import { deliverOutboxSoon } from "../mail/outbox";
import { linkedIdentityNotice } from "../mail/templates";
import { notifyAccountHolder } from "../users/notify";
import { isTwoStepOn } from "../two-step/two-step";
import type { RequestContext } from "../request-context";
import type { OidcProvider } from "../validation/oidc-providers";

// /settings/sign-in-methods (ADR 0083): every way into the account on one page, and the providers
// the owner links and unlinks. Both changes need a recent "Confirm it's you" and are told to the
// account holder: a way in added by someone at an unlocked browser must not go unnoticed.

export type SignInMethodsView = {
  email: { address: string; verified: boolean } | null;
  phone: string | null;
  hasPassword: boolean;
  passkeys: number;
  twoStep: boolean;
  linked: { id: string; provider: string; name: string; email: string | null; linkedAt: Date; lastUsedAt: Date | null }[];
  /** Configured providers this account has not linked yet. */
  linkable: { id: string; name: string }[];
};

export async function signInMethodsOf(userId: string, providers: OidcProvider[]): Promise<SignInMethodsView> {
  const [user, passkeys, twoStep, identities] = await Promise.all([
    prisma.user.findUniqueOrThrow({ where: { id: userId }, select: { email: true, emailVerified: true, phoneNumber: true, phoneVerified: true, password: true } }),
    prisma.passkey.count({ where: { userId } }),
    isTwoStepOn(userId),
    listLinkedIdentities(userId),
  ]);
  const nameOf = (id: string) => providers.find((provider) => provider.id === id)?.name ?? id;
  return {
    email: user.email ? { address: user.email, verified: user.emailVerified } : null,
    phone: user.phoneNumber && user.phoneVerified ? user.phoneNumber : null,
    hasPassword: user.password !== null,
    passkeys,
    twoStep,
    linked: identities.map((identity) => ({ ...identity, name: nameOf(identity.provider) })),
    linkable: providers.filter((provider) => !identities.some((identity) => identity.provider === provider.id)).map(({ id, name }) => ({ id, name })),
  };
}

/** Links the provider account that just signed in at the provider to the signed-in account. */
export async function linkProvider(session: SessionRef, provider: OidcProvider, identity: ProviderIdentity, context: RequestContext): Promise<void> {
  assertRecentSignIn(session);
  await prisma.$transaction(async (tx) => {
    await linkIdentity(tx, session.userId, identity, provider.name);
    await recordAudit({ action: "identity.linked", userId: session.userId, deviceId: session.deviceId, context, metadata: { provider: provider.id } }, tx);
    await notifyAccountHolder(tx, await tx.user.findUniqueOrThrow({ where: { id: session.userId } }), linkedIdentityNotice("linked", provider.name));
  });
  deliverOutboxSoon();
}

/**
 * Unlinks one provider. Refused when it is the last way in: no password, passkey, linked
 * provider or confirmed address or number (a code sign-in) would be left.
 */
export async function unlinkProvider(session: SessionRef, identityId: string, providerName: (id: string) => string, context: RequestContext): Promise<void> {
  assertRecentSignIn(session);
  await prisma.$transaction(async (tx) => {
    // Locks the account's row first (ADR 0067), so two unlinks cannot each leave the other last.
    const [user] = await tx.$queryRaw<{ email: string | null; email_verified: boolean; phone_number: string | null; phone_verified: boolean; password: string | null }[]>`
      SELECT email, email_verified, phone_number, phone_verified, password FROM users WHERE id = ${session.userId}::uuid FOR UPDATE`;
    const removed = await removeLinkedIdentity(tx, session.userId, identityId);
    if (!user || !removed) throw new AppError("not_found", "That sign-in method is not linked to your account.", 404);
    const othersLeft =
      (user.password ? 1 : 0) +
      (user.email_verified ? 1 : 0) +
      (user.phone_verified ? 1 : 0) +
      (await tx.passkey.count({ where: { userId: session.userId } })) +
      (await tx.linkedIdentity.count({ where: { userId: session.userId } }));
    if (othersLeft === 0) {
      throw new AppError("last_sign_in_method", `${providerName(removed.provider)} is the only way to sign in to your account. Add a password or a passkey first.`, 409);
    }
    await recordAudit({ action: "identity.unlinked", userId: session.userId, deviceId: session.deviceId, context, metadata: { provider: removed.provider } }, tx);
    const holder = { id: session.userId, email: user.email, emailVerified: user.email_verified, phoneNumber: user.phone_number, phoneVerified: user.phone_verified };
    await notifyAccountHolder(tx, holder, linkedIdentityNotice("unlinked", providerName(removed.provider)));
  });
  deliverOutboxSoon();
}

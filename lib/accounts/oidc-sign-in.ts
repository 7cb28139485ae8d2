import type { Tx } from "../db";
import { recordAudit } from "../audit";
import { AppError } from "../errors";
import { findLinkedIdentity, linkIdentity, markIdentityUsed, type ProviderIdentity } from "../identities/identities";
import { linkedIdentityNotice } from "../mail/templates";
import { notifyAccountHolder } from "../users/notify";
import type { RequestContext } from "../request-context";
import type { IdTokenClaims, OidcProvider } from "../validation/oidc-providers";
import { signInBrowserAfter, type BrowserSignIn } from "./browser-sign-in";

// "Continue with …" (ADR 0083). The provider's ID token has been checked by next-auth
// (openid-client: signature, iss, aud, exp, nonce, with PKCE and state on the way). What it
// proves is that the person holds that provider account; which Latchkey account that opens is
// decided here, and only a link made by the account's owner ever opens an existing account.

/** Why a provider sign-in did not sign anyone in: the sign-in page says what to do instead. */
export type ProviderRefusal = "link_first" | "email_unverified";

export const providerRefusal = (code: ProviderRefusal, provider: OidcProvider) =>
  code === "link_first"
    ? new AppError("link_first", `Sign in to your account first, then link ${provider.name} in settings.`, 409, { provider: provider.id })
    : new AppError("email_unverified", `${provider.name} did not confirm your email address, so it cannot create an account. Sign up with your email instead.`, 403, { provider: provider.id });

/** The identity an ID token names, for the linked-identities table. */
export const identityOf = (provider: OidcProvider, claims: IdTokenClaims): ProviderIdentity => ({
  provider: provider.id,
  issuer: claims.iss,
  subject: claims.sub,
  email: claims.email_verified ? (claims.email ?? null) : null,
});

/**
 * A second factor the provider asserts (RFC 8176 "mfa") counts only from a provider the operator
 * trusts for it (`trustAmr`): anything else is one factor, and two-step verification asks for its code.
 */
export const providerFactors = (provider: OidcProvider, claims: IdTokenClaims): 1 | 2 => (provider.trustAmr && claims.amr?.includes("mfa") ? 2 : 1);

/**
 * Signs in with a provider identity: its linked account, or a new account when the provider
 * vouches for an address no account has. An address that belongs to an account is never signed in
 * to from here — its owner signs in and links the provider (pre-account-takeover, ADR 0083).
 */
export async function signInWithProvider(
  input: { provider: OidcProvider; claims: IdTokenClaims; browserKey?: string | null },
  context: RequestContext,
): Promise<BrowserSignIn> {
  const { provider, claims } = input;
  return signInBrowserAfter((tx) => accountForIdentity(tx, provider, claims, context), {
    browserKey: input.browserKey,
    context,
    factors: providerFactors(provider, claims),
    method: { method: "oidc", provider: provider.id },
  });
}

async function accountForIdentity(tx: Tx, provider: OidcProvider, claims: IdTokenClaims, context: RequestContext): Promise<{ userId: string }> {
  const linked = await findLinkedIdentity(tx, { provider: provider.id, subject: claims.sub });
  if (linked) {
    await markIdentityUsed(tx, linked.id);
    return { userId: linked.userId };
  }
  // Checked before the address is looked up: the refusal is the same for every address.
  if (!claims.email || claims.email_verified !== true) throw providerRefusal("email_unverified", provider);
  const holder = await tx.user.findUnique({ where: { email: claims.email } });
  if (holder && (holder.emailVerified || holder.phoneVerified)) throw providerRefusal("link_first", provider);
  // No account, or a sign-up nobody confirmed (whoever started it never proved the address: like a
  // sign-in code, the provider's proof takes it over and its chosen password goes, ADR 0016).
  const user = holder
    ? await tx.user.update({ where: { id: holder.id }, data: { emailVerified: true, password: null, signUpBrowserHash: null } })
    : await tx.user.create({ data: { email: claims.email, emailVerified: true } });
  await linkIdentity(tx, user.id, identityOf(provider, claims), provider.name);
  await recordAudit(
    [
      { action: "user.signed_up", userId: user.id, context, metadata: { channel: "EMAIL", via: "oidc", provider: provider.id } },
      { action: "user.email_verified", userId: user.id, context, metadata: { via: "oidc", provider: provider.id } },
      { action: "identity.linked", userId: user.id, context, metadata: { provider: provider.id } },
    ],
    tx,
  );
  // The mailbox hears of it: a provider that vouched for an address it should not have is seen at once.
  await notifyAccountHolder(tx, user, linkedIdentityNotice("created", provider.name));
  return { userId: user.id };
}

import { beforeEach, describe, expect, it } from "vitest";
import { Secret, TOTP } from "otpauth";
import { prisma } from "../db";
import { createTestUser, resetDatabase } from "../../test/db";
import { signIn } from "../../test/settings-support";
import { redeemSignInTicket } from "../auth/sessions";
import { hashPassword } from "../auth/password";
import { confirmTwoStepSetup, startTwoStepSetup } from "../two-step/two-step";
import { SecondFactorRequired } from "../two-step/challenges";
import { exportAccountData } from "./data-export";
import { identityOf, signInWithProvider } from "./oidc-sign-in";
import { linkProvider, signInMethodsOf, unlinkProvider } from "../settings/sign-in-methods";
import type { IdTokenClaims, OidcProvider } from "../validation/oidc-providers";

// The account rules of "Continue with …" (ADR 0083) against PostgreSQL; the protocol itself (state,
// PKCE, nonce, the ID token's checks) is exercised against a real provider in
// e2e/sign-in-with-provider.spec.ts.

const context = { ip: "203.0.113.9", userAgent: "vitest" };
const provider: OidcProvider = { id: "testid", name: "Test ID", issuer: "https://id.example.test", clientId: "c", clientSecret: "s", trustAmr: false };
const claims = (sub: string, email?: string, verified = true): IdTokenClaims => ({ iss: provider.issuer, sub, email, email_verified: email ? verified : undefined });
const nameOf = () => provider.name;

beforeEach(resetDatabase);

describe("signing in with a provider", () => {
  it("creates an account for a verified address nobody has, links it, and signs in to the profile gate", async () => {
    const signedIn = await signInWithProvider({ provider, claims: claims("new-1", "new@example.test") }, context);
    const user = await prisma.user.findUniqueOrThrow({ where: { email: "new@example.test" }, include: { identities: true } });
    expect(user).toMatchObject({ emailVerified: true, isProfileComplete: false, password: null });
    expect(user.identities).toMatchObject([{ provider: "testid", subject: "new-1", issuer: provider.issuer, email: "new@example.test" }]);
    expect(signedIn.destination).toBe("/onboarding");
    expect((await redeemSignInTicket(signedIn.ticket))?.userId).toBe(user.id);
    const audit = await prisma.auditEvent.findMany({ where: { userId: user.id }, orderBy: { createdAt: "asc" } });
    expect(audit.map((event) => event.action)).toEqual(expect.arrayContaining(["user.signed_up", "identity.linked", "user.signed_in"]));
    expect(audit.find((event) => event.action === "user.signed_in")?.metadata).toEqual({ method: "oidc", provider: "testid" });
    // The mailbox hears that a provider opened an account in its name.
    expect(await prisma.outboxMessage.count({ where: { to: "new@example.test" } })).toBe(1);
    // The second time the same subject signs in to the same account, whatever email it now reports.
    const again = await signInWithProvider({ provider, claims: claims("new-1", "changed@example.test") }, context);
    expect((await redeemSignInTicket(again.ticket))?.userId).toBe(user.id);
    expect(await prisma.user.count()).toBe(1);
  });

  it("never signs in to an account that holds the address: the owner must link first", async () => {
    const owner = await createTestUser({ email: "owner@example.test", password: await hashPassword("owner's own password") });
    await expect(signInWithProvider({ provider, claims: claims("attacker", "owner@example.test") }, context)).rejects.toMatchObject({
      code: "link_first",
      message: "Sign in to your account first, then link Test ID in settings.",
    });
    expect(await prisma.session.count()).toBe(0);
    expect(await prisma.linkedIdentity.count()).toBe(0);
    // Linked by its owner (after "Confirm it's you"), the same subject signs in to it.
    const { session } = await signIn(owner.id);
    await linkProvider(session, provider, identityOf(provider, claims("owner-sub", "owner@example.test")), context);
    const signedIn = await signInWithProvider({ provider, claims: claims("owner-sub", "owner@example.test") }, context);
    expect((await redeemSignInTicket(signedIn.ticket))?.userId).toBe(owner.id);
  });

  it("refuses an unverified address before looking it up, whether or not an account has it", async () => {
    await createTestUser({ email: "taken@example.test" });
    for (const email of ["taken@example.test", "free@example.test"]) {
      await expect(signInWithProvider({ provider, claims: claims(`sub-${email}`, email, false) }, context)).rejects.toMatchObject({ code: "email_unverified" });
    }
    await expect(signInWithProvider({ provider, claims: claims("no-email") }, context)).rejects.toMatchObject({ code: "email_unverified" });
    expect(await prisma.user.count()).toBe(1);
  });

  it("takes over a sign-up nobody confirmed, dropping the password its starter chose", async () => {
    const squatter = await createTestUser({ email: "victim@example.test", emailVerified: false, isProfileComplete: false, password: await hashPassword("squatter's password") });
    const signedIn = await signInWithProvider({ provider, claims: claims("victim-sub", "victim@example.test") }, context);
    expect((await redeemSignInTicket(signedIn.ticket))?.userId).toBe(squatter.id);
    expect(await prisma.user.findUniqueOrThrow({ where: { id: squatter.id } })).toMatchObject({ emailVerified: true, password: null });
  });

  it("asks for the authenticator's code when two-step verification is on, unless a trusted provider asserted mfa", async () => {
    const user = await createTestUser({ email: "two@example.test" });
    const { session } = await signIn(user.id);
    await linkProvider(session, provider, identityOf(provider, claims("two-sub", "two@example.test")), context);
    const setup = await startTwoStepSetup(user.id, "two@example.test");
    await confirmTwoStepSetup(user.id, new TOTP({ secret: Secret.fromBase32(setup.secret.replace(/ /g, "")) }).generate(), context);
    const sessions = await prisma.session.count();
    await expect(signInWithProvider({ provider, claims: claims("two-sub") }, context)).rejects.toBeInstanceOf(SecondFactorRequired);
    // An amr the operator does not trust changes nothing.
    await expect(signInWithProvider({ provider, claims: { ...claims("two-sub"), amr: ["pwd", "mfa"] } }, context)).rejects.toBeInstanceOf(SecondFactorRequired);
    expect(await prisma.session.count()).toBe(sessions);
    const trusted = { ...provider, trustAmr: true };
    const signedIn = await signInWithProvider({ provider: trusted, claims: { ...claims("two-sub"), amr: ["pwd", "mfa"] } }, context);
    expect((await redeemSignInTicket(signedIn.ticket))?.userId).toBe(user.id);
  });
});

describe("sign-in methods in settings", () => {
  it("links after a recent confirmation only, one account per identity, tells the holder, and shows it", async () => {
    const user = await createTestUser({ email: "me@example.test" });
    const other = await createTestUser();
    const { session } = await signIn(user.id);
    const stale = { ...session, authenticatedAt: new Date(Date.now() - 11 * 60_000) };
    await expect(linkProvider(stale, provider, identityOf(provider, claims("me")), context)).rejects.toMatchObject({ code: "reauthentication_required" });
    await linkProvider(session, provider, identityOf(provider, claims("me", "me@provider.test")), context);
    const { session: otherSession } = await signIn(other.id);
    await expect(linkProvider(otherSession, provider, identityOf(provider, claims("me")), context)).rejects.toMatchObject({ code: "identity_linked_elsewhere" });
    await expect(linkProvider(session, provider, identityOf(provider, claims("me-second")), context)).rejects.toMatchObject({ code: "provider_already_linked" });
    const view = await signInMethodsOf(user.id, [provider]);
    expect(view.linked).toMatchObject([{ provider: "testid", name: "Test ID", email: "me@provider.test" }]);
    expect(view.linkable).toEqual([]);
    expect(await prisma.outboxMessage.findMany({ where: { to: "me@example.test" }, select: { subject: true } })).toEqual([
      { subject: "Test ID sign-in was linked to your Latchkey account" },
    ]);
    expect((await exportAccountData(user.id)).linkedIdentities).toMatchObject([{ provider: "testid", email: "me@provider.test" }]);
  });

  it("unlinks, but never the last way to sign in; the account's deletion takes its identities", async () => {
    const user = await createTestUser({ email: "only@example.test" });
    const { session } = await signIn(user.id);
    await linkProvider(session, provider, identityOf(provider, claims("only")), context);
    const identity = await prisma.linkedIdentity.findFirstOrThrow({ where: { userId: user.id } });
    // Without a confirmed address, a password or a passkey, the provider is the only way in.
    await prisma.user.update({ where: { id: user.id }, data: { emailVerified: false } });
    await expect(unlinkProvider(session, identity.id, nameOf, context)).rejects.toMatchObject({ code: "last_sign_in_method", status: 409 });
    expect(await prisma.linkedIdentity.count()).toBe(1);
    await prisma.user.update({ where: { id: user.id }, data: { emailVerified: true } });
    await unlinkProvider(session, identity.id, nameOf, context);
    expect(await prisma.linkedIdentity.count()).toBe(0);
    expect(await prisma.auditEvent.count({ where: { userId: user.id, action: "identity.unlinked" } })).toBe(1);
    await expect(unlinkProvider(session, identity.id, nameOf, context)).rejects.toMatchObject({ code: "not_found" });

    await linkProvider(session, provider, identityOf(provider, claims("only")), context);
    await prisma.user.delete({ where: { id: user.id } });
    expect(await prisma.linkedIdentity.count()).toBe(0);
  });
});

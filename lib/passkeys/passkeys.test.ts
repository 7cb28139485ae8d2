import { beforeEach, describe, expect, it } from "vitest";
import { prisma } from "../db";
import { createTestUser, resetDatabase } from "../../test/db";
import { ageSignIn, lastMessageTo, signIn } from "../../test/settings-support";
import { SoftPasskey } from "../../test/webauthn-authenticator";
import { redeemSignInTicket } from "../auth/sessions";
import { signInWithPasskey, startPasskeySignIn } from "../accounts/passkey-sign-in";
import { hasRecentSignIn } from "../auth/recent-sign-in";
import { reauthenticateWithPasskey, startPasskeyReauthentication } from "../settings/reauthenticate";
import { listAccountPasskeys, removeAccountPasskey, renameAccountPasskey } from "../settings/passkeys";
import { finishPasskeyRegistration, startPasskeyRegistration } from "./registration";

beforeEach(resetDatabase);

const context = { ip: "203.0.113.7", userAgent: "vitest" };
const GOOGLE_PASSWORD_MANAGER = "ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4";

/** An account with a passkey registered through the real ceremony. */
async function accountWithPasskey(overrides: Parameters<typeof createTestUser>[0] = {}, passkey = new SoftPasskey()) {
  const user = await createTestUser(overrides);
  const { session } = await signIn(user.id);
  const added = await finishPasskeyRegistration(session, passkey.register(await startPasskeyRegistration(session)), context);
  return { user, session, passkey, added };
}

async function signInWith(passkey: SoftPasskey, overrides?: Parameters<SoftPasskey["assert"]>[1]) {
  return signInWithPasskey({ response: passkey.assert(await startPasskeySignIn(), overrides) }, context);
}

const auditActions = async (userId: string) =>
  (await prisma.auditEvent.findMany({ where: { userId }, orderBy: { createdAt: "asc" } })).map((event) => event.action);

describe("adding a passkey", () => {
  it("stores the credential after a recent sign-in, audits it and tells the account holder", async () => {
    const { user, added } = await accountWithPasskey({}, new SoftPasskey({ aaguid: GOOGLE_PASSWORD_MANAGER, synced: true }));
    expect(added.name).toBe("Google Password Manager");
    const [stored] = await prisma.passkey.findMany({ where: { userId: user.id } });
    expect(stored).toMatchObject({ backedUp: true, deviceType: "MULTI_DEVICE", transports: ["internal"], signCount: 0n, aaguid: GOOGLE_PASSWORD_MANAGER });
    expect(stored!.publicKey.length).toBeGreaterThan(64);
    expect(await auditActions(user.id)).toContain("passkey.added");
    expect((await lastMessageTo(user.email!))!.subject).toBe("A passkey was added to your Latchkey account");
    expect(await listAccountPasskeys({ userId: user.id })).toEqual([
      { id: added.id, name: "Google Password Manager", authenticator: "Google Password Manager", synced: true, createdAt: expect.any(Date), lastUsedAt: null },
    ]);
  });

  it("needs a recent re-authentication, at the start and at the finish", async () => {
    const user = await createTestUser();
    const { session } = await signIn(user.id);
    const stale = await ageSignIn(session.id, 30);
    await expect(startPasskeyRegistration(stale)).rejects.toMatchObject({ code: "reauthentication_required", status: 403 });
    const options = await startPasskeyRegistration(session);
    await expect(finishPasskeyRegistration(stale, new SoftPasskey().register(options), context)).rejects.toMatchObject({ code: "reauthentication_required" });
    expect(await prisma.passkey.count()).toBe(0);
  });

  it("refuses a challenge issued to another account, a reused challenge and a foreign origin", async () => {
    const alice = await createTestUser();
    const bob = await createTestUser();
    const { session: aliceSession } = await signIn(alice.id);
    const { session: bobSession } = await signIn(bob.id);
    const forAlice = await startPasskeyRegistration(aliceSession);
    await expect(finishPasskeyRegistration(bobSession, new SoftPasskey().register(forAlice), context)).rejects.toMatchObject({ code: "passkey_expired" });

    const response = new SoftPasskey().register(await startPasskeyRegistration(aliceSession));
    await finishPasskeyRegistration(aliceSession, response, context);
    await expect(finishPasskeyRegistration(aliceSession, response, context)).rejects.toMatchObject({ code: "passkey_expired" });

    const phished = new SoftPasskey({ origin: "https://latchkey.example.evil" }).register(await startPasskeyRegistration(aliceSession));
    await expect(finishPasskeyRegistration(aliceSession, phished, context)).rejects.toMatchObject({ code: "passkey_not_created" });
    expect(await prisma.passkey.count()).toBe(1);
  });

  it("refuses an authenticator that did not verify the user", async () => {
    const user = await createTestUser();
    const { session } = await signIn(user.id);
    const response = new SoftPasskey({ userVerified: false }).register(await startPasskeyRegistration(session));
    await expect(finishPasskeyRegistration(session, response, context)).rejects.toMatchObject({ code: "passkey_not_created" });
  });

  it("does not register the same credential twice", async () => {
    const { session, passkey } = await accountWithPasskey();
    await expect(finishPasskeyRegistration(session, passkey.register(await startPasskeyRegistration(session)), context)).rejects.toMatchObject({
      code: "passkey_exists",
      status: 409,
    });
  });
});

describe("signing in with a passkey", () => {
  it("creates the browser's device and session like the other methods, and hands out a redeemable ticket", async () => {
    const { user, passkey, added } = await accountWithPasskey();
    const signedIn = await signInWith(passkey);
    expect(signedIn.destination).toBe("/home");
    expect(signedIn.isNewDevice).toBe(true);
    const session = await redeemSignInTicket(signedIn.ticket);
    expect(session).toMatchObject({ userId: user.id, deviceId: signedIn.deviceId });
    const stored = await prisma.passkey.findUniqueOrThrow({ where: { id: added.id } });
    expect(stored.signCount).toBe(1n);
    expect(stored.lastUsedAt).not.toBeNull();

    const again = await signInWithPasskey({ response: passkey.assert(await startPasskeySignIn()), browserKey: signedIn.browserKey }, context);
    expect(again).toMatchObject({ deviceId: signedIn.deviceId, isNewDevice: false });
    expect(await auditActions(user.id)).toEqual(expect.arrayContaining(["user.signed_in", "device.created"]));
  });

  it("leads to the profile form while the profile is incomplete", async () => {
    const { passkey } = await accountWithPasskey({ isProfileComplete: false });
    expect((await signInWith(passkey)).destination).toBe("/onboarding");
  });

  it("refuses a replayed assertion: its challenge was used up by the first sign-in", async () => {
    const { passkey } = await accountWithPasskey();
    const response = passkey.assert(await startPasskeySignIn());
    await signInWithPasskey({ response }, context);
    await expect(signInWithPasskey({ response }, context)).rejects.toMatchObject({ code: "passkey_expired" });
    expect(await prisma.session.count({ where: { ticketRedeemedAt: null } })).toBe(2); // the test's own session + the first sign-in
  });

  it("refuses a challenge older than 5 minutes", async () => {
    const { passkey } = await accountWithPasskey();
    const options = await startPasskeySignIn();
    await prisma.passkeyChallenge.updateMany({ data: { expiresAt: new Date(Date.now() - 1000) } });
    await expect(signInWithPasskey({ response: passkey.assert(options) }, context)).rejects.toMatchObject({ code: "passkey_expired" });
  });

  it("a credential of one account cannot sign in to another", async () => {
    const alice = await accountWithPasskey();
    const bob = await accountWithPasskey();
    // Alice's key and credential, claiming to be Bob's user handle.
    await expect(signInWith(alice.passkey, { userHandle: bob.passkey.userHandle })).rejects.toMatchObject({ code: "passkey_refused", status: 401 });
    // Alice's signature presented under Bob's credential id.
    const forged = { ...alice.passkey.assert(await startPasskeySignIn()), id: bob.passkey.id, rawId: bob.passkey.id };
    forged.response.userHandle = bob.passkey.userHandle;
    await expect(signInWithPasskey({ response: forged }, context)).rejects.toMatchObject({ code: "passkey_refused" });
    // And her passkey does not confirm Bob's session.
    const options = await startPasskeyReauthentication(bob.session);
    await expect(reauthenticateWithPasskey(bob.session, alice.passkey.assert(options), context)).rejects.toMatchObject({ code: "passkey_refused" });
    expect(await prisma.session.count({ where: { userId: bob.user.id } })).toBe(1);
  });

  it("answers an unknown credential exactly like a wrong one", async () => {
    await accountWithPasskey();
    const stranger = new SoftPasskey();
    stranger.userHandle = Buffer.alloc(16, 1).toString("base64url");
    const unknown = await signInWith(stranger).catch((error: unknown) => error);
    const { passkey } = await accountWithPasskey();
    const tampered = passkey.assert(await startPasskeySignIn());
    tampered.response.signature = new SoftPasskey().assert(await startPasskeySignIn()).response.signature;
    const wrong = await signInWithPasskey({ response: tampered }, context).catch((error: unknown) => error);
    expect(unknown).toMatchObject({ code: "passkey_refused", status: 401 });
    expect(wrong).toMatchObject({ code: "passkey_refused", status: 401, message: (unknown as Error).message });
  });

  it("needs user verification and a user handle", async () => {
    const { passkey } = await accountWithPasskey();
    await expect(signInWith(passkey, { userHandle: null })).rejects.toMatchObject({ code: "passkey_refused" });
    const unverified = new SoftPasskey({ userVerified: false });
    Object.assign(unverified, { credentialId: passkey.credentialId, privateKey: (passkey as never)["privateKey"], userHandle: passkey.userHandle });
    unverified.counter = 10;
    await expect(signInWith(unverified)).rejects.toMatchObject({ code: "passkey_refused" });
  });

  it("refuses and audits a signature counter that goes backwards (a copied key)", async () => {
    const { user, passkey, added } = await accountWithPasskey();
    await signInWith(passkey, { counter: 5 });
    await expect(signInWith(passkey, { counter: 3 })).rejects.toMatchObject({ code: "passkey_refused" });
    await expect(signInWith(passkey, { counter: 5 })).rejects.toMatchObject({ code: "passkey_refused" });
    const audited = await prisma.auditEvent.findMany({ where: { userId: user.id, action: "passkey.counter_regressed" } });
    expect(audited.map((event) => event.metadata)).toEqual([
      { passkeyId: added.id, storedCounter: 5, presentedCounter: 3 },
      { passkeyId: added.id, storedCounter: 5, presentedCounter: 5 },
    ]);
    expect((await prisma.passkey.findUniqueOrThrow({ where: { id: added.id } })).signCount).toBe(5n);
    await signInWith(passkey, { counter: 6 });
  });

  it("accepts authenticators that keep no counter (always 0)", async () => {
    const { passkey } = await accountWithPasskey();
    await signInWith(passkey, { counter: 0 });
    await signInWith(passkey, { counter: 0 });
  });

  it("a deactivated account is told so only after the passkey proved it", async () => {
    const { user, passkey } = await accountWithPasskey();
    await prisma.user.update({ where: { id: user.id }, data: { isActive: false } });
    await expect(signInWith(passkey)).rejects.toMatchObject({ code: "account_deactivated" });
  });
});

describe("confirming it's you with a passkey", () => {
  it("gives the session 10 minutes of recent sign-in", async () => {
    const { session, passkey } = await accountWithPasskey();
    const stale = await ageSignIn(session.id, 30);
    expect(hasRecentSignIn(stale)).toBe(false);
    await reauthenticateWithPasskey(stale, passkey.assert(await startPasskeyReauthentication(stale)), context);
    expect(hasRecentSignIn(await prisma.session.findUniqueOrThrow({ where: { id: session.id } }))).toBe(true);
  });

  it("a sign-in challenge does not confirm a session, and an account without passkeys is told", async () => {
    const { session, passkey } = await accountWithPasskey();
    const stale = await ageSignIn(session.id, 30);
    await expect(reauthenticateWithPasskey(stale, passkey.assert(await startPasskeySignIn()), context)).rejects.toMatchObject({ code: "passkey_expired" });
    expect(hasRecentSignIn(await prisma.session.findUniqueOrThrow({ where: { id: session.id } }))).toBe(false);
    const other = await createTestUser();
    const { session: otherSession } = await signIn(other.id);
    await expect(startPasskeyReauthentication(otherSession)).rejects.toMatchObject({ code: "no_passkey" });
  });
});

describe("managing passkeys", () => {
  it("renames and removes only the account's own passkeys; a removed passkey no longer signs in", async () => {
    const { user, session, passkey, added } = await accountWithPasskey();
    const other = await accountWithPasskey();
    await expect(renameAccountPasskey(other.session, { passkeyId: added.id, name: "Mine now" }, context)).rejects.toMatchObject({ status: 404 });
    await expect(removeAccountPasskey(other.session, added.id, context)).rejects.toMatchObject({ status: 404 });
    await renameAccountPasskey(session, { passkeyId: added.id, name: "Work laptop" }, context);
    expect((await listAccountPasskeys(session))[0]).toMatchObject({ name: "Work laptop", authenticator: "Passkey" });

    await removeAccountPasskey(session, added.id, context);
    expect(await listAccountPasskeys(session)).toEqual([]);
    expect(await auditActions(user.id)).toEqual(expect.arrayContaining(["passkey.added", "passkey.renamed", "passkey.removed"]));
    expect((await lastMessageTo(user.email!))!.subject).toBe("A passkey was removed from your Latchkey account");
    await expect(signInWith(passkey)).rejects.toMatchObject({ code: "passkey_refused" });
    await expect(removeAccountPasskey(session, added.id, context)).rejects.toMatchObject({ status: 404 });
  });

  it("an account's passkeys and challenges go with it", async () => {
    const { user, session } = await accountWithPasskey();
    await startPasskeyRegistration(session);
    await prisma.user.delete({ where: { id: user.id } });
    expect(await prisma.passkey.count()).toBe(0);
    expect(await prisma.passkeyChallenge.count()).toBe(0);
  });
});

import { generateAuthenticationOptions, verifyAuthenticationResponse, type AuthenticationResponseJSON, type PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import { prisma } from "../db";
import { relyingParty } from "../env";
import { recordAudit } from "../audit";
import { consumeBurst } from "../rate-limit";
import { SIGN_IN_LIMITS } from "../limits";
import type { RequestContext } from "../request-context";
import { CHALLENGE_LIFETIME_SECONDS, storeChallenge, verifyWithChallenge } from "./challenges";
import { passkeyRefused } from "./errors";
import { encodedUserHandleOf } from "./user-handle";

/** Sign-in knows no account yet; re-authentication is for the signed-in account. */
type AssertionScope = { ceremony: "SIGN_IN"; userId: null } | { ceremony: "REAUTHENTICATE"; userId: string };

/**
 * Options for navigator.credentials.get(), user verification required. Sign-in lists no
 * credentials (the authenticator offers its discoverable ones), so the options are the same for
 * everybody and reveal nothing; re-authentication lists the account's own.
 */
export async function passkeyRequestOptions(scope: AssertionScope): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const allowCredentials = scope.userId
    ? (await prisma.passkey.findMany({ where: { userId: scope.userId }, select: { credentialId: true, transports: true } })).map(
        (passkey) => ({ id: passkey.credentialId, transports: passkey.transports }),
      )
    : [];
  const options = await generateAuthenticationOptions({
    rpID: relyingParty().id,
    allowCredentials,
    userVerification: "required",
    timeout: CHALLENGE_LIFETIME_SECONDS * 1000,
  });
  await storeChallenge(options.challenge, scope);
  return options;
}

/**
 * Verifies an assertion against a challenge issued for `scope` and returns the account it proves.
 * Refused alike (passkeyRefused): an unknown credential, a credential of another account than
 * the scope's, a user handle that is not the credential owner's, a bad signature or missing user
 * verification, and a signature counter that did not move forward — the last is audited, as it
 * means the authenticator's key was copied. The counter moves in one conditional update, so two
 * concurrent uses of one counter value cannot both pass.
 */
export async function verifyPasskeyAssertion(
  response: AuthenticationResponseJSON,
  scope: AssertionScope,
  context?: Partial<RequestContext>,
): Promise<{ userId: string; passkeyId: string }> {
  await consumeBurst(`passkey:${response.id}`, SIGN_IN_LIMITS.passkeyAssertions);
  const passkey = await prisma.passkey.findUnique({ where: { credentialId: response.id } });
  const rp = relyingParty();
  const verification = await verifyWithChallenge(
    scope,
    async (expectedChallenge) => {
      const result = await verifyAuthenticationResponse({
        response,
        expectedChallenge,
        expectedOrigin: rp.origin,
        expectedRPID: rp.id,
        requireUserVerification: true,
        // The counter is compared below, after the signature, so that a regression can be audited.
        credential: { id: response.id, publicKey: passkey ? new Uint8Array(passkey.publicKey) : new Uint8Array(), counter: 0 },
      });
      if (!passkey || !result.verified) throw passkeyRefused();
      return result;
    },
    passkeyRefused,
  );
  const owner = passkey!;
  if (scope.userId && owner.userId !== scope.userId) throw passkeyRefused();
  if (response.response.userHandle !== undefined && response.response.userHandle !== encodedUserHandleOf(owner.userId)) throw passkeyRefused();
  if (scope.ceremony === "SIGN_IN" && response.response.userHandle === undefined) throw passkeyRefused();

  const { newCounter, credentialBackedUp } = verification.authenticationInfo;
  // Authenticators that keep no counter always send 0; any other value must grow.
  const moved = await prisma.passkey.updateMany({
    where: { id: owner.id, signCount: newCounter === 0 ? 0 : { lt: newCounter } },
    data: { signCount: newCounter, backedUp: credentialBackedUp, lastUsedAt: new Date() },
  });
  if (moved.count !== 1) {
    await recordAudit({
      action: "passkey.counter_regressed",
      userId: owner.userId,
      context,
      metadata: { passkeyId: owner.id, storedCounter: Number(owner.signCount), presentedCounter: newCounter },
    });
    throw passkeyRefused();
  }
  return { userId: owner.userId, passkeyId: owner.id };
}

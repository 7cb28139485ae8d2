import { generateRegistrationOptions, verifyRegistrationResponse, type PublicKeyCredentialCreationOptionsJSON, type RegistrationResponseJSON } from "@simplewebauthn/server";
import { prisma } from "../db";
import { relyingParty } from "../env";
import { AppError } from "../errors";
import { recordAudit } from "../audit";
import { consumeBurst } from "../rate-limit";
import { SIGN_IN_LIMITS } from "../limits";
import type { RequestContext } from "../request-context";
import { deliverOutboxSoon } from "../mail/outbox";
import { notifyAccountHolder } from "../users/notify";
import { passkeyAddedNotice } from "../mail/templates";
import { assertRecentSignIn, type SessionRef } from "../auth/recent-sign-in";
import { lockUser } from "../users/lock";
import { isUniqueViolation } from "../db/unique-violation";
import { authenticatorName } from "./authenticators";
import { CHALLENGE_LIFETIME_SECONDS, storeChallenge, verifyWithChallenge } from "./challenges";
import { userHandleOf } from "./user-handle";

/** Passkeys one account may hold: plenty for every device and password manager a person uses. */
export const PASSKEYS_PER_ACCOUNT = 20;

const passkeyNotCreated = () => new AppError("passkey_not_created", "That passkey could not be added. Please try again.", 400);

const tooManyPasskeys = () =>
  new AppError("too_many_passkeys", `An account can have at most ${PASSKEYS_PER_ACCOUNT} passkeys. Remove one first.`, 409);

/**
 * Options for navigator.credentials.create(): a discoverable credential (so sign-in needs no
 * address) with user verification, never one of the account's existing authenticators again.
 * Only after a recent re-authentication: a stolen session must not be able to plant a passkey.
 */
export async function startPasskeyRegistration(session: SessionRef): Promise<PublicKeyCredentialCreationOptionsJSON> {
  assertRecentSignIn(session);
  await consumeBurst(`passkey-register:${session.userId}`, SIGN_IN_LIMITS.passkeyRegistrations);
  const user = await prisma.user.findUniqueOrThrow({ where: { id: session.userId }, include: { passkeys: true } });
  if (user.passkeys.length >= PASSKEYS_PER_ACCOUNT) throw tooManyPasskeys();
  const rp = relyingParty();
  const options = await generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    userID: userHandleOf(user.id),
    userName: user.email ?? user.phoneNumber ?? user.username ?? user.id,
    userDisplayName: user.fullName ?? user.name ?? "",
    timeout: CHALLENGE_LIFETIME_SECONDS * 1000,
    attestationType: "none",
    excludeCredentials: user.passkeys.map((passkey) => ({ id: passkey.credentialId, transports: passkey.transports })),
    authenticatorSelection: { residentKey: "required", userVerification: "required" },
  });
  await storeChallenge(options.challenge, { ceremony: "REGISTER", userId: user.id });
  return options;
}

type AddedPasskey = { id: string; name: string };

/**
 * Verifies the authenticator's answer to a challenge this account was given and stores the new
 * credential, audits it and tells the account holder, in one transaction.
 */
export async function finishPasskeyRegistration(
  session: SessionRef,
  response: RegistrationResponseJSON,
  context?: Partial<RequestContext>,
): Promise<AddedPasskey> {
  assertRecentSignIn(session);
  const rp = relyingParty();
  const verification = await verifyWithChallenge(
    { ceremony: "REGISTER", userId: session.userId },
    (expectedChallenge) =>
      verifyRegistrationResponse({ response, expectedChallenge, expectedOrigin: rp.origin, expectedRPID: rp.id, requireUserVerification: true }),
    passkeyNotCreated,
  );
  if (!verification.verified) throw passkeyNotCreated();
  const { credential, aaguid, credentialBackedUp, credentialDeviceType } = verification.registrationInfo;
  const name = authenticatorName(aaguid);

  try {
    const added = await prisma.$transaction(async (tx) => {
      const user = await lockUser(tx, session.userId);
      if ((await tx.passkey.count({ where: { userId: user.id } })) >= PASSKEYS_PER_ACCOUNT) throw tooManyPasskeys();
      const passkey = await tx.passkey.create({
        data: {
          userId: user.id,
          credentialId: credential.id,
          publicKey: Buffer.from(credential.publicKey),
          signCount: credential.counter,
          transports: credential.transports ?? [],
          backedUp: credentialBackedUp,
          deviceType: credentialDeviceType === "multiDevice" ? "MULTI_DEVICE" : "SINGLE_DEVICE",
          aaguid,
          name,
        },
      });
      await recordAudit({ action: "passkey.added", userId: user.id, deviceId: session.deviceId, context, metadata: { passkeyId: passkey.id, name } }, tx);
      await notifyAccountHolder(tx, user, passkeyAddedNotice(name));
      return { id: passkey.id, name };
    });
    deliverOutboxSoon();
    return added;
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError("passkey_exists", "This passkey is already registered.", 409);
    throw error;
  }
}

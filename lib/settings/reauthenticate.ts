import { prisma } from "../db";
import { humanPhoneNumber } from "../format/phone";
import { AppError } from "../errors";
import { markReauthenticated } from "../auth/sessions";
import type { SessionRef } from "../auth/recent-sign-in";
import { deliverOutboxSoon, enqueueMail, enqueueSms } from "../mail/outbox";
import { issueCode, requireCode, spendCode } from "../verification/codes";
import { accountRequester } from "../verification/requester";
import { assertOwnPassword } from "./own-password";
import { reauthenticationCodeMail, reauthenticationCodeSms } from "../mail/templates";
import type { AuthenticationResponseJSON, PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import { passkeyRequestOptions, verifyPasskeyAssertion } from "../passkeys/authentication";
import type { RequestContext } from "../request-context";
import { checkSecondFactor, isTwoStepOn, type SecondFactor } from "../two-step/two-step";

/**
 * The ways this account can confirm it's you, as the "Confirm it's you" panel offers them. With
 * two-step verification on, only what a stranger holding the first factor lacks counts (ADR 0087):
 * the authenticator app, a recovery code or a passkey; the password and codes are not offered.
 */
export type ReauthenticationMethods = { hasPassword: boolean; codeDestination: string | null; hasPasskey: boolean; twoStepOn: boolean };

export async function reauthenticationMethods(user: {
  id: string;
  password: string | null;
  email: string | null;
  phoneNumber: string | null;
}): Promise<ReauthenticationMethods> {
  const [passkeys, twoStepOn] = await Promise.all([prisma.passkey.count({ where: { userId: user.id } }), isTwoStepOn(user.id)]);
  return {
    hasPassword: !twoStepOn && user.password !== null,
    codeDestination: twoStepOn ? null : (user.email ?? (user.phoneNumber && humanPhoneNumber(user.phoneNumber))),
    hasPasskey: passkeys > 0,
    twoStepOn,
  };
}

/**
 * A password or an emailed/texted code is one factor; with two-step verification on it must not
 * be enough to turn two-step off or change what protects the account (attack finding F3).
 */
async function assertOneFactorEnough(userId: string): Promise<void> {
  if (await isTwoStepOn(userId)) {
    throw new AppError(
      "second_factor_needed",
      "Two-step verification is on: confirm with a code from your authenticator app, a recovery code or a passkey.",
      400,
    );
  }
}

/** Where a confirmation code for this account goes: its address, else its phone number. */
function reauthenticationDestination(user: { email: string | null; phoneNumber: string | null }) {
  if (user.email) return { channel: "EMAIL" as const, destination: user.email };
  if (user.phoneNumber) return { channel: "SMS" as const, destination: user.phoneNumber };
  throw new AppError("no_destination", "Your account has no address or number to send a code to.", 400);
}

export async function reauthenticateWithPassword(session: SessionRef, password: string): Promise<void> {
  await assertOneFactorEnough(session.userId);
  const user = await prisma.user.findUniqueOrThrow({ where: { id: session.userId } });
  if (!user.password) {
    throw new AppError("no_password", "Your account has no password yet. Ask for a code instead.", 400, { field: "password" });
  }
  await assertOwnPassword(user, password, "password");
  await markReauthenticated(session.id);
}

/** Sends a REAUTHENTICATE code to the account's own address (or number); returns where it went. */
export async function sendReauthenticationCode(session: SessionRef): Promise<{ sentTo: string }> {
  await assertOneFactorEnough(session.userId);
  const user = await prisma.user.findUniqueOrThrow({ where: { id: session.userId } });
  const { channel, destination } = reauthenticationDestination(user);
  await prisma.$transaction(async (tx) => {
    const requester = accountRequester(user.id, true);
    const { code } = await issueCode(tx, { channel, destination, purpose: "REAUTHENTICATE", userId: user.id, requester });
    if (channel === "EMAIL") await enqueueMail(tx, reauthenticationCodeMail(destination, code));
    else await enqueueSms(tx, { to: destination, text: reauthenticationCodeSms(code) }, { requester: requester.key });
  });
  deliverOutboxSoon();
  return { sentTo: channel === "SMS" ? humanPhoneNumber(destination) : destination };
}

export async function reauthenticateWithCode(session: SessionRef, code: string): Promise<void> {
  await assertOneFactorEnough(session.userId);
  const user = await prisma.user.findUniqueOrThrow({ where: { id: session.userId } });
  const { destination } = reauthenticationDestination(user);
  const proof = await requireCode({ destination, purpose: "REAUTHENTICATE", code, userId: user.id, requester: accountRequester(user.id, true) });
  await prisma.$transaction(async (tx) => {
    await spendCode(tx, proof);
    await markReauthenticated(session.id, tx);
  });
}

/**
 * With two-step verification on: a code from the authenticator app or a recovery code proves who
 * is at this session (the session itself stood for the first factor). Wrong answers count as at
 * sign-in (lib/two-step).
 */
export async function reauthenticateWithSecondFactor(session: SessionRef, factor: SecondFactor, context: RequestContext): Promise<void> {
  await checkSecondFactor(session.userId, factor, context);
  await markReauthenticated(session.id);
}

/** A challenge for one of the account's own passkeys (400 when it has none). */
export async function startPasskeyReauthentication(session: SessionRef): Promise<PublicKeyCredentialRequestOptionsJSON> {
  if ((await prisma.passkey.count({ where: { userId: session.userId } })) === 0) {
    throw new AppError("no_passkey", "Your account has no passkey yet. Use your password or a code instead.", 400);
  }
  return passkeyRequestOptions({ ceremony: "REAUTHENTICATE", userId: session.userId });
}

/** A passkey of this account, used with user verification, proves who is at this session. */
export async function reauthenticateWithPasskey(
  session: SessionRef,
  response: AuthenticationResponseJSON,
  context?: Partial<RequestContext>,
): Promise<void> {
  await verifyPasskeyAssertion(response, { ceremony: "REAUTHENTICATE", userId: session.userId }, context);
  await markReauthenticated(session.id);
}

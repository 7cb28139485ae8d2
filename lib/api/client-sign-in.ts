import { prisma, type Tx } from "../db";
import { recordAudit } from "../audit";
import { checkApiSignInCode } from "../accounts/code-sign-in";
import { verifyPasswordSignIn } from "../accounts/password-sign-in";
import { createSession, revokeSession } from "../auth/sessions";
import { createClientDevice } from "../devices/devices";
import { accountDeactivated } from "../accounts/account-errors";
import { deliverOutboxSoon } from "../mail/outbox";
import { notifyAccountHolder } from "../users/notify";
import { newDeviceNotice } from "../mail/templates";
import type { RequestContext } from "../request-context";
import { findTwoStepChallenge, issueTwoStepChallenge, SecondFactorRequired, spendTwoStepChallenge } from "../two-step/challenges";
import { checkSecondFactor, isTwoStepOn } from "../two-step/two-step";
import type { FirstFactorTokenRequest, TokenRequest, TokenResponse } from "./schemas";

/**
 * POST /api/auth/token: proves who the person is (code or password), then in one transaction
 * creates a CLIENT device and a session on it, audits both and queues the new-device notice.
 * A code's account work (creating an account for a new address) joins the same transaction.
 */
export async function signInClient(input: TokenRequest, context: RequestContext): Promise<TokenResponse> {
  if ("challenge" in input) return finishClientSignIn(input, context);
  return signInClientFirstFactor(input, context);
}

/**
 * The first factor. With two-step verification on, it yields no session but a challenge, answered
 * as 401 `second_factor_required` after the commit (the code is spent, the challenge stored).
 */
async function signInClientFirstFactor(input: FirstFactorTokenRequest, context: RequestContext): Promise<TokenResponse> {
  // The schema lets a password through only with an email address.
  const byPassword = input.password !== undefined ? await verifyPasswordSignIn({ email: input.email!, password: input.password }, context) : null;
  // A code is checked before the transaction and spent inside it (ADR 0066), so no connection waits on another.
  const finishCode = byPassword ? null : await checkApiSignInCode({ ...input, code: input.code! }, context);
  const via = byPassword ? "password" : "code";
  const outcome = await prisma.$transaction(async (tx) => {
    const { userId } = byPassword ?? (await finishCode!(tx));
    // The schema requires deviceName (a refinement, so its type stays optional).
    const deviceName = input.deviceName!;
    if (await isTwoStepOn(userId, tx)) return issueTwoStepChallenge(tx, { userId, kind: "CLIENT", via, deviceName });
    return startClientSession(tx, { userId, deviceName, via, context });
  });
  deliverOutboxSoon();
  if ("challenge" in outcome) throw new SecondFactorRequired(outcome);
  return outcome;
}

/** The second request: the challenge names the account, device name and first factor; the session starts once the factor is right. */
async function finishClientSignIn(input: { challenge: string; totp?: string; recoveryCode?: string }, context: RequestContext): Promise<TokenResponse> {
  const open = await findTwoStepChallenge(input.challenge, "CLIENT");
  const factor = input.totp !== undefined ? { totp: input.totp } : { recoveryCode: input.recoveryCode! };
  await checkSecondFactor(open.userId, factor, context, { challenge: input.challenge });
  const token = await prisma.$transaction(async (tx) => {
    await spendTwoStepChallenge(tx, input.challenge);
    return startClientSession(tx, { userId: open.userId, deviceName: open.deviceName!, via: open.via as "code" | "password", context });
  });
  deliverOutboxSoon();
  return token;
}

async function startClientSession(
  tx: Tx,
  input: { userId: string; deviceName: string; via: "code" | "password"; context: RequestContext },
): Promise<TokenResponse> {
  const user = await tx.user.findUniqueOrThrow({ where: { id: input.userId } });
  if (!user.isActive) throw accountDeactivated();
  const deviceId = await createClientDevice(tx, { userId: user.id, name: input.deviceName });
  const session = await createSession(tx, { userId: user.id, deviceId, kind: "CLIENT", context: input.context });
  await tx.user.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } });
  await recordAudit(
    [
      { action: "user.signed_in", userId: user.id, deviceId, context: input.context, metadata: { via: `api_${input.via}` } },
      { action: "device.created", userId: user.id, deviceId, context: input.context, metadata: { kind: "CLIENT", name: input.deviceName } },
    ],
    tx,
  );
  // Someone who had signed in before is told of every new device; a brand-new account is not.
  if (user.lastLoginAt) await notifyAccountHolder(tx, user, newDeviceNotice(input.deviceName, input.context.ip));
  return { userId: user.id, deviceId, token: session.token, expiresAt: session.expiresAt.toISOString() };
}

/** DELETE /api/auth/token: ends the calling session (the device and its keys stay). */
export async function signOutClient(session: { id: string; userId: string; deviceId: string }, context: RequestContext): Promise<void> {
  await prisma.$transaction(async (tx) => {
    await revokeSession(session.userId, session.id, tx);
    await recordAudit({ action: "session.revoked", userId: session.userId, deviceId: session.deviceId, context, metadata: { via: "api" } }, tx);
  });
}

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
import type { TokenRequest, TokenResponse } from "./schemas";

/**
 * POST /api/auth/token: proves who the person is (code or password), then in one transaction
 * creates a CLIENT device and a session on it, audits both and queues the new-device notice.
 * A code's account work (creating an account for a new address) joins the same transaction.
 */
export async function signInClient(input: TokenRequest, context: RequestContext): Promise<TokenResponse> {
  // The schema lets a password through only with an email address. A code is checked before the
  // transaction and spent inside it (ADR 0066), so no connection waits on another.
  const byPassword = input.password !== undefined ? await verifyPasswordSignIn({ email: input.email!, password: input.password }, context) : null;
  const finishCode = byPassword ? null : await checkApiSignInCode({ ...input, code: input.code! }, context);
  const token = await prisma.$transaction(async (tx) => {
    const { userId } = byPassword ?? (await finishCode!(tx));
    return startClientSession(tx, { userId, deviceName: input.deviceName, via: byPassword ? "password" : "code", context });
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

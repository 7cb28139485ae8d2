import { prisma, type Tx } from "../db";
import { recordAudit } from "../audit";
import { createSession } from "../auth/sessions";
import { findOrCreateBrowserDevice } from "../devices/devices";
import { deliverOutboxSoon } from "../mail/outbox";
import { notifyAccountHolder } from "../users/notify";
import { newDeviceNotice } from "../mail/templates";
import type { RequestContext } from "../request-context";
import { accountDeactivated } from "./account-errors";
import { promoteIfAdminEmail } from "./admin-promotion";
import { isTwoStepOn } from "../two-step/two-step";
import { issueTwoStepChallenge, SecondFactorRequired } from "../two-step/challenges";

/** How the person signed in, when the audit event should say (a provider sign-in names its provider). */
export type SignInMethod = { method: "oidc"; provider: string };

/** Something the page after sign-in must tell the person (as `?notice=` on the destination). */
export type SignInNotice = "sign-up-password-dropped" | "password-set";

export type BrowserSignIn = {
  /** Single-use ticket the page hands to next-auth's "ticket" provider. */
  ticket: string;
  /** The browser's device-cookie value (new when the device is new). */
  browserKey: string;
  deviceId: string;
  isNewDevice: boolean;
  /** Where the browser goes next: the profile form until the profile is complete. */
  destination: string;
};

/**
 * Signs a verified person in on this browser, in the caller's transaction: reuses or creates the
 * browser's Device, creates a BROWSER Session and audits it. A new device on an account that had
 * signed in before tells the account holder (lib/users/notify.ts; queued: call deliverOutboxSoon after commit).
 */
export async function startBrowserSignIn(
  tx: Tx,
  input: { userId: string; browserKey?: string | null; context: RequestContext; notice?: SignInNotice; method?: SignInMethod },
): Promise<BrowserSignIn> {
  const found = await tx.user.findUnique({ where: { id: input.userId } });
  if (!found || !found.isActive) throw accountDeactivated();
  const user = await promoteIfAdminEmail(tx, found, input.context);
  const device = await findOrCreateBrowserDevice(tx, { userId: user.id, browserKey: input.browserKey, userAgent: input.context.userAgent });
  const session = await createSession(tx, { userId: user.id, deviceId: device.deviceId, kind: "BROWSER", context: input.context });
  await tx.user.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } });
  await recordAudit({ action: "user.signed_in", userId: user.id, deviceId: device.deviceId, context: input.context, metadata: input.method }, tx);
  if (device.isNew) {
    await recordAudit({ action: "device.created", userId: user.id, deviceId: device.deviceId, context: input.context, metadata: { kind: "BROWSER" } }, tx);
    if (user.lastLoginAt) {
      const created = await tx.device.findUniqueOrThrow({ where: { id: device.deviceId }, select: { name: true } });
      await notifyAccountHolder(tx, user, newDeviceNotice(created.name, input.context.ip));
    }
  }
  return {
    ticket: session.token,
    browserKey: device.browserKey,
    deviceId: device.deviceId,
    isNewDevice: device.isNew,
    destination: `${user.isProfileComplete ? "/home" : "/onboarding"}${input.notice ? `?notice=${input.notice}` : ""}`,
  };
}

/**
 * Runs `verify` (which proves who the person is and returns the account) and the browser sign-in
 * in one transaction, then starts delivery of any mail they queued. When the account has two-step
 * verification on and `verify` was one factor (a password, a code, a link: `factors` 1), no
 * session starts: the transaction stores a challenge instead, and SecondFactorRequired carries it
 * out after the commit (ADR 0072).
 */
export async function signInBrowserAfter(
  verify: (tx: Tx) => Promise<{ userId: string; notice?: SignInNotice }>,
  input: { browserKey?: string | null; context: RequestContext; factors?: 1 | 2; method?: SignInMethod },
): Promise<BrowserSignIn> {
  const outcome = await prisma.$transaction(async (tx) => {
    const { userId, notice } = await verify(tx);
    if ((input.factors ?? 1) === 1 && (await isTwoStepOn(userId, tx))) {
      return issueTwoStepChallenge(tx, { userId, kind: "BROWSER", via: "browser", notice });
    }
    return startBrowserSignIn(tx, { userId, browserKey: input.browserKey, context: input.context, notice, method: input.method });
  });
  deliverOutboxSoon();
  if ("challenge" in outcome) throw new SecondFactorRequired(outcome);
  return outcome;
}

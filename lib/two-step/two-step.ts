import { Secret, TOTP } from "otpauth";
import QRCode from "qrcode";
import { prisma, type Tx } from "../db";
import { recordAudit } from "../audit";
import { hashRecoveryCode, openSecret, randomRecoveryCode, sealSecret } from "../crypto";
import { AppError, RateLimitedError, formatWait } from "../errors";
import { TWO_STEP_LIMITS } from "../limits";
import { deliverOutboxSoon } from "../mail/outbox";
import { notifyAccountHolder } from "../users/notify";
import { twoStepNotice, type TwoStepChange } from "../mail/templates";
import { assertWindowOpen, lockKey, recordHit } from "../rate-limit";
import type { RequestContext } from "../request-context";

// Two-step verification with an authenticator app (RFC 6238, ADR 0070) and one-time recovery codes
// (ADR 0071). The rules of the two_steps and recovery_codes tables live here; the flows that use
// them (settings, sign-in, the admin's action) decide who may call what.

/** The issuer an authenticator app shows beside the account. */
export const TOTP_ISSUER = "Latchkey";
const PERIOD_SECONDS = 30;
/** A code of the step before or after the current one still works (clock drift of one step). */
const DRIFT_STEPS = 1;
export const RECOVERY_CODE_COUNT = 10;

const failureKey = (userId: string) => `two-step:fail:${userId}`;

function totp(secretBase32: string, label: string): TOTP {
  return new TOTP({ issuer: TOTP_ISSUER, label, algorithm: "SHA1", digits: 6, period: PERIOD_SECONDS, secret: Secret.fromBase32(secretBase32) });
}

/** What setup shows once: the key as text (grouped for reading), its otpauth:// URI and that URI as a QR code (PNG data: URL). */
export type TwoStepSetup = { secret: string; uri: string; qrCode: string };

const twoStepNotOn = () => new AppError("two_step_not_on", "Two-step verification is not on for this account.", 400);

/**
 * Starts setup: a new 160-bit secret, stored encrypted with `enabledAt` unset, replacing any
 * unfinished setup. Refused while two-step verification is on (turn it off first).
 */
export async function startTwoStepSetup(userId: string, accountLabel: string): Promise<TwoStepSetup> {
  const secret = new Secret({ size: 20 }).base32;
  const secretEncrypted = sealSecret(secret, userId);
  const { count } = await prisma.$transaction(async (tx) => {
    const existing = await tx.twoStep.findUnique({ where: { userId }, select: { enabledAt: true } });
    if (existing?.enabledAt) return { count: 0 };
    await tx.twoStep.upsert({ where: { userId }, create: { userId, secretEncrypted }, update: { secretEncrypted, lastStep: null } });
    return { count: 1 };
  });
  if (count === 0) throw alreadyOn();
  const uri = totp(secret, accountLabel).toString();
  return { secret: secret.replace(/(.{4})/g, "$1 ").trim(), uri, qrCode: await QRCode.toDataURL(uri, { errorCorrectionLevel: "M", margin: 2, width: 240 }) };
}

const alreadyOn = () => new AppError("two_step_already_on", "Two-step verification is already on.", 409);

/**
 * Finishes setup with one current code from the app: turns two-step verification on, makes ten
 * recovery codes (returned once, stored hashed), audits and tells the owner.
 */
export async function confirmTwoStepSetup(userId: string, code: string, context: RequestContext): Promise<{ recoveryCodes: string[] }> {
  const state = await prisma.twoStep.findUnique({ where: { userId }, select: { enabledAt: true } });
  if (!state) throw new AppError("two_step_not_started", "Start again: set up your authenticator app first.", 400);
  if (state.enabledAt) throw alreadyOn();
  await checkSecondFactor(userId, { totp: code }, context, { pending: true });
  const recoveryCodes = await prisma.$transaction(async (tx) => {
    const { count } = await tx.twoStep.updateMany({ where: { userId, enabledAt: null }, data: { enabledAt: new Date() } });
    if (count === 0) throw alreadyOn();
    const codes = await replaceRecoveryCodes(tx, userId);
    await recordAudit({ action: "two_step.enabled", userId, context }, tx);
    await notify(tx, userId, "on");
    return codes;
  });
  deliverOutboxSoon();
  return { recoveryCodes };
}

/** A second factor as a person gives it: a code from the app, or one of their recovery codes. */
export type SecondFactor = { totp: string } | { recoveryCode: string };

/**
 * Checks a second factor for an account whose two-step verification is on (or, with `pending`,
 * being set up). Every check for one account queues on one advisory lock, so the replay rule and
 * the failure count are exact across instances: an app code is accepted only for a later step
 * than the last accepted one, a recovery code only once. Wrong answers count against
 * TWO_STEP_LIMITS.failures (a 429 once spent). A recovery code used is audited and mailed.
 */
export async function checkSecondFactor(
  userId: string,
  factor: SecondFactor,
  context: RequestContext,
  options: { pending?: boolean } = {},
): Promise<{ via: "totp" | "recovery_code" }> {
  const via = "totp" in factor ? "totp" : "recovery_code";
  const failure = await prisma.$transaction(async (tx) => {
    await lockKey(failureKey(userId), tx);
    await assertWindowOpen(failureKey(userId), TWO_STEP_LIMITS.failures, tx).catch((error: unknown) => {
      throw error instanceof RateLimitedError
        ? new RateLimitedError(error.retryAfterSeconds, `Too many wrong codes. For your safety, try again in ${formatWait(error.retryAfterSeconds)}.`)
        : error;
    });
    const state = await tx.twoStep.findUnique({ where: { userId } });
    if (!state || (state.enabledAt === null) !== (options.pending === true)) {
      throw twoStepNotOn();
    }
    const outcome = "totp" in factor ? await acceptTotp(tx, state, factor.totp) : await acceptRecoveryCode(tx, userId, factor.recoveryCode);
    if (outcome === "ok") {
      if (via === "recovery_code") {
        await recordAudit({ action: "two_step.recovery_code_used", userId, context }, tx);
        await notify(tx, userId, "recovery_code_used");
      }
      return null;
    }
    await recordHit(failureKey(userId), tx);
    await recordAudit({ action: "two_step.failed", userId, context, metadata: { via, reason: outcome } }, tx);
    return outcome;
  });
  if (via === "recovery_code" && failure === null) deliverOutboxSoon();
  if (failure === "replayed") {
    throw new AppError("code_already_used", "That code was already used. Wait for the next code in your app.", 400, { field: "code" });
  }
  if (failure === "wrong") {
    throw via === "totp"
      ? new AppError("invalid_code", "That code is not right. Check the code in your authenticator app.", 400, { field: "code" })
      : new AppError("invalid_recovery_code", "That recovery code is not right, or it was already used.", 400, { field: "recoveryCode" });
  }
  return { via };
}

type CheckOutcome = "ok" | "wrong" | "replayed";

async function acceptTotp(tx: Tx, state: { userId: string; secretEncrypted: string; lastStep: bigint | null }, code: string): Promise<CheckOutcome> {
  const now = Date.now();
  const delta = totp(openSecret(state.secretEncrypted, state.userId), "").validate({ token: code, timestamp: now, window: DRIFT_STEPS });
  if (delta === null) return "wrong";
  const step = BigInt(Math.floor(now / 1000 / PERIOD_SECONDS) + delta);
  if (state.lastStep !== null && step <= state.lastStep) return "replayed";
  await tx.twoStep.update({ where: { userId: state.userId }, data: { lastStep: step } });
  return "ok";
}

/** Recovery codes are typed by hand: case, spaces and dashes do not matter. */
const normaliseRecoveryCode = (code: string) => code.toLowerCase().replace(/[\s-]/g, "");

async function acceptRecoveryCode(tx: Tx, userId: string, code: string): Promise<CheckOutcome> {
  const { count } = await tx.recoveryCode.updateMany({
    where: { userId, codeHash: hashRecoveryCode(normaliseRecoveryCode(code)), usedAt: null },
    data: { usedAt: new Date() },
  });
  return count === 1 ? "ok" : "wrong";
}

async function replaceRecoveryCodes(tx: Tx, userId: string): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, randomRecoveryCode);
  await tx.recoveryCode.deleteMany({ where: { userId } });
  await tx.recoveryCode.createMany({ data: codes.map((code) => ({ userId, codeHash: hashRecoveryCode(normaliseRecoveryCode(code)) })) });
  return codes;
}

/** Ten new recovery codes (returned once); the old ones stop working. */
export async function regenerateRecoveryCodes(userId: string, context: RequestContext): Promise<{ recoveryCodes: string[] }> {
  const recoveryCodes = await prisma.$transaction(async (tx) => {
    if (!(await isTwoStepOn(userId, tx))) throw twoStepNotOn();
    const codes = await replaceRecoveryCodes(tx, userId);
    await recordAudit({ action: "two_step.recovery_codes_regenerated", userId, context }, tx);
    await notify(tx, userId, "recovery_codes_regenerated");
    return codes;
  });
  deliverOutboxSoon();
  return { recoveryCodes };
}

/** Turns the owner's two-step verification off (see disableTwoStep). Returns false when it was not on. */
export async function turnOffTwoStep(userId: string, context: RequestContext): Promise<boolean> {
  const wasOn = await prisma.$transaction((tx) => disableTwoStep(tx, userId, context));
  if (wasOn) deliverOutboxSoon();
  return wasOn;
}

/**
 * Turns two-step verification off in the caller's transaction: the secret, the recovery codes and
 * open sign-in challenges go, and the owner is told (call deliverOutboxSoon after commit).
 * `actorId` names the admin who did it for a person who lost both app and codes, audited as an
 * admin action. Returns false when it was not on (an unfinished setup is dropped all the same).
 */
export async function disableTwoStep(tx: Tx, userId: string, context: Partial<RequestContext>, actorId?: string): Promise<boolean> {
  const state = await tx.twoStep.findUnique({ where: { userId }, select: { enabledAt: true } });
  const { count } = await tx.twoStep.deleteMany({ where: { userId } });
  if (count === 0 || !state?.enabledAt) return false;
  await tx.recoveryCode.deleteMany({ where: { userId } });
  await tx.twoStepChallenge.deleteMany({ where: { userId } });
  await recordAudit(actorId ? { action: "admin.two_step_disabled", userId, actorId, context } : { action: "two_step.disabled", userId, context }, tx);
  await notify(tx, userId, actorId ? "off_by_admin" : "off");
  return true;
}

export async function isTwoStepOn(userId: string, db: Tx = prisma): Promise<boolean> {
  return (await db.twoStep.count({ where: { userId, enabledAt: { not: null } } })) > 0;
}

/** What the settings page and the admin's user detail show: never the secret. */
export async function twoStepStatus(userId: string): Promise<{ on: boolean; enabledAt: Date | null; recoveryCodesLeft: number }> {
  const [state, recoveryCodesLeft] = await Promise.all([
    prisma.twoStep.findUnique({ where: { userId }, select: { enabledAt: true } }),
    prisma.recoveryCode.count({ where: { userId, usedAt: null } }),
  ]);
  const enabledAt = state?.enabledAt ?? null;
  return { on: enabledAt !== null, enabledAt, recoveryCodesLeft: enabledAt ? recoveryCodesLeft : 0 };
}

async function notify(tx: Tx, userId: string, change: TwoStepChange): Promise<void> {
  const user = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { id: true, email: true, emailVerified: true, phoneNumber: true, phoneVerified: true } });
  await notifyAccountHolder(tx, user, twoStepNotice(change));
}

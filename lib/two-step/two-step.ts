import { Secret, TOTP } from "otpauth";
import QRCode from "qrcode";
import { prisma, type Tx } from "../db";
import { recordAudit } from "../audit";
import { hashRecoveryCode, hashToken, openSecret, randomRecoveryCode, sealSecret } from "../crypto";
import { AppError, RateLimitedError, formatWait } from "../errors";
import { TWO_STEP_LIMITS } from "../limits";
import { deliverOutboxSoon } from "../mail/outbox";
import { notifyAccountHolder } from "../users/notify";
import { twoStepNotice, type TwoStepChange } from "../mail/templates";
import { countWindow, lockKey, recordHit, secondsUntilOldestLeaves } from "../rate-limit";
import { rateLimitSubject } from "../http/client-address";
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

// Wrong answers are counted per (account, requester) and per account (ADR 0087), per sign-in
// challenge, and the owner's "being guessed" mail is remembered for a day: all in rate_limit_hits.
const accountFailureKey = (userId: string) => `two-step:fail:${userId}`;
const requesterFailureKey = (userId: string, ip: string) => `two-step:fail:${userId}:${rateLimitSubject(ip)}`;
const challengeFailureKey = (challenge: string) => `two-step:challenge-fail:${hashToken(challenge)}`;
const guessNoticeKey = (userId: string) => `two-step:guess-notice:${userId}`;

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

/** One field that takes either (the reset forms): six digits are the app's code, anything else a recovery code; empty is none. */
export function secondFactorFromText(text: string | undefined): SecondFactor | undefined {
  if (!text) return undefined;
  return /^\d{6}$/.test(text) ? { totp: text } : { recoveryCode: text };
}

/**
 * Checks a second factor for an account whose two-step verification is on (or, with `pending`,
 * being set up). Every check for one account queues on one advisory lock, so the replay rule and
 * the failure counts are exact across instances: an app code is accepted only for a later step
 * than the last accepted one, a recovery code only once. Wrong answers are counted per requester
 * and account (ADR 0087), so a stranger who has the first factor cannot lock the owner out; with
 * `challenge`, the sign-in challenge dies at its TWO_STEP_LIMITS.challengeWrongAnswers-th wrong
 * answer. The owner is mailed once a day when answers are being guessed. A recovery code used is
 * audited and mailed.
 */
export async function checkSecondFactor(
  userId: string,
  factor: SecondFactor,
  context: RequestContext,
  options: { pending?: boolean; challenge?: string } = {},
): Promise<{ via: "totp" | "recovery_code" }> {
  const via = "totp" in factor ? "totp" : "recovery_code";
  const result = await prisma.$transaction(async (tx) => {
    await lockKey(accountFailureKey(userId), tx);
    const failuresSoFar = await assertMayAnswer(tx, userId, context.ip);
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
      return { failure: null, challengeDied: false, mailed: via === "recovery_code" };
    }
    await recordHit(requesterFailureKey(userId, context.ip), tx);
    await recordHit(accountFailureKey(userId), tx);
    await recordAudit({ action: "two_step.failed", userId, context, metadata: { via, reason: outcome } }, tx);
    // Mistyped codes while setting the app up are the owner's own: no "being guessed" mail.
    const mailed = options.pending ? false : await noticeIfGuessed(tx, userId, failuresSoFar + 1);
    const challengeDied = options.challenge ? await countChallengeFailure(tx, options.challenge) : false;
    return { failure: outcome, challengeDied, mailed };
  });
  if (result.mailed) deliverOutboxSoon();
  if (result.challengeDied) {
    throw new AppError("challenge_expired", "Too many wrong codes for this sign-in. Sign in again.", 401);
  }
  if (result.failure === "replayed") {
    throw new AppError("code_already_used", "That code was already used. Wait for the next code in your app.", 400, { field: "code" });
  }
  if (result.failure === "wrong") {
    throw via === "totp"
      ? new AppError("invalid_code", "That code is not right. Check the code in your authenticator app.", 400, { field: "code" })
      : new AppError("invalid_recovery_code", "That recovery code is not right, or it was already used.", 400, { field: "recoveryCode" });
  }
  return { via };
}

const tooManyWrongCodes = (retryAfterSeconds: number) =>
  new RateLimitedError(retryAfterSeconds, `Too many wrong codes. For your safety, try again in ${formatWait(retryAfterSeconds)}.`);

/**
 * Refuses a requester that used up its own wrong answers, and, once the account's wrong answers
 * from everyone reach their cap, a requester that has failed here too; a requester with none (the
 * owner, during an attack) still gets its try. Returns the account's wrong answers in the window.
 */
async function assertMayAnswer(tx: Tx, userId: string, ip: string): Promise<number> {
  const { perRequester, perAccount } = TWO_STEP_LIMITS.failures;
  const mine = await countWindow(requesterFailureKey(userId, ip), perRequester.windowSeconds, tx);
  if (mine.count >= perRequester.limit) throw tooManyWrongCodes(secondsUntilOldestLeaves(mine.oldest, perRequester.windowSeconds));
  const everyone = await countWindow(accountFailureKey(userId), perAccount.windowSeconds, tx);
  if (everyone.count >= perAccount.limit && mine.count > 0) {
    throw tooManyWrongCodes(secondsUntilOldestLeaves(everyone.oldest, perAccount.windowSeconds));
  }
  return everyone.count;
}

/**
 * Wrong answers at the second step mean someone holds the first factor (a password, a code, a
 * link): the owner is told once the account has `guessNotice.after` of them, at most once a day.
 */
async function noticeIfGuessed(tx: Tx, userId: string, failures: number): Promise<boolean> {
  const { after, everySeconds } = TWO_STEP_LIMITS.guessNotice;
  if (failures < after) return false;
  if ((await countWindow(guessNoticeKey(userId), everySeconds, tx)).count > 0) return false;
  await recordHit(guessNoticeKey(userId), tx);
  await recordAudit({ action: "two_step.guessing_noticed", userId, metadata: { failures } }, tx);
  await notify(tx, userId, "being_guessed");
  return true;
}

/** Longer than any challenge lives (challenges.ts CHALLENGE_TTL_SECONDS, 5 minutes). */
const CHALLENGE_FAILURE_WINDOW_SECONDS = 60 * 60;

/** Counts a wrong answer against a sign-in challenge; deletes it (returns true) at the last one it takes. */
async function countChallengeFailure(tx: Tx, challenge: string): Promise<boolean> {
  const key = challengeFailureKey(challenge);
  await recordHit(key, tx);
  const { count } = await countWindow(key, CHALLENGE_FAILURE_WINDOW_SECONDS, tx);
  if (count < TWO_STEP_LIMITS.challengeWrongAnswers) return false;
  await tx.twoStepChallenge.deleteMany({ where: { tokenHash: hashToken(challenge) } });
  return true;
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

import { prisma, type Tx } from "../db";
import type { CodeChannel, CodePurpose } from "../generated/prisma/enums";
import type { OneTimeCode } from "../generated/prisma/client";
import { recordAudit } from "../audit";
import { hashCode, randomCode, randomToken, safeEqual } from "../crypto";
import { RateLimitedError } from "../errors";
import { assertWindowOpen, countWindow, hitWindow, lockKey, recordHit, type WindowLimit } from "../rate-limit";
import { CODE_LIMITS, codeAttempts, codeGuessesInTotal } from "../limits";
import { codeFailureError, type CodeFailure } from "./errors";
import type { CodeRequester } from "./requester";

// DECISIONS.md §1–2: one table of codes for both channels; 6 digits from the CSPRNG, HMAC at rest,
// 10 minutes, single use, a new code voids the older ones. Sends and wrong guesses are counted per
// requester and per address, and what strangers spend never refuses a requester known to the
// address's account (ADR 0080). The limits themselves are in lib/limits.ts (CODE_LIMITS).
export const CODE_TTL_SECONDS = 10 * 60;

type IssueCodeInput = {
  channel: CodeChannel;
  destination: string;
  purpose: CodePurpose;
  userId?: string | null;
  requester: CodeRequester;
};

type SendSubject = { destination: string; purpose: CodePurpose; requester: Pick<CodeRequester, "key"> };

const resendKey = (input: SendSubject) => `otp:resend:${input.purpose}:${input.requester.key}:${input.destination}`;
const requesterSendKey = (input: SendSubject) => `otp:send:${input.requester.key}:${input.destination}`;
const addressSendKey = (destination: string) => `otp:send:${destination}`;
const failureKey = (destination: string) => `otp:fail:${destination}`;
const requesterFailureKey = (requester: CodeRequester, destination: string) => `otp:fail-by:${requester.key}:${destination}`;
const guessKey = (codeId: string, requester: CodeRequester) => `otp:guess:${codeId}:${requester.key}`;

/**
 * Purposes where a signed-in account asks for a code to an address that may belong to someone
 * else: counted per (account, address) only, so the address owner's own codes never show in the
 * answer to a change to a taken address (ADR 0052).
 */
const CHANGE_PURPOSES: ReadonlySet<CodePurpose> = new Set(["EMAIL_CHANGE", "PHONE_CHANGE"]);

/**
 * The resend cooldown, named for what it is: a code was sent moments ago and is still good, so
 * the person is told when they can ask for another (and the browser can take them to that code),
 * not that they tried too often.
 */
export class ResendCooldownError extends RateLimitedError {
  constructor(retryAfterSeconds: number) {
    super(retryAfterSeconds, `We just sent you a code. You can ask for a new code in ${retryAfterSeconds} s.`);
  }
}

/**
 * Counts one message against the requester's own allowance first (the resend cooldown per purpose,
 * 5 an hour to this address), then against the address's hourly cap, which refuses only requesters
 * unknown to the address's account: strangers can fill it, but cannot keep the owner from a code.
 */
async function consumeSendAllowance(tx: Tx, input: IssueCodeInput): Promise<void> {
  try {
    await hitWindow(resendKey(input), CODE_LIMITS.resend, tx);
  } catch (error) {
    if (error instanceof RateLimitedError) throw new ResendCooldownError(error.retryAfterSeconds);
    throw error;
  }
  await hitWindow(requesterSendKey(input), CODE_LIMITS.sends, tx);
  if (CHANGE_PURPOSES.has(input.purpose)) return;
  const addressKey = addressSendKey(input.destination);
  await lockKey(addressKey, tx);
  if (!input.requester.known) await assertWindowOpen(addressKey, CODE_LIMITS.sendsPerAddress, tx);
  await recordHit(addressKey, tx);
}

/**
 * Seconds until this requester may have another code sent for `input` (0 when one may be sent
 * now): the code page counts down to the server's own deadline, so a reload does not restart or
 * forget the wait.
 */
export async function resendCooldownSeconds(input: SendSubject): Promise<number> {
  const { newest } = await countWindow(resendKey(input), CODE_LIMITS.resend.windowSeconds);
  if (!newest) return 0;
  return Math.max(0, Math.ceil((newest.getTime() + CODE_LIMITS.resend.windowSeconds * 1000 - Date.now()) / 1000));
}

/**
 * Issues a new code in the caller's transaction (with the message that carries it, so both commit
 * together) and returns it in plain text once, for that message.
 */
export async function issueCode(tx: Tx, input: IssueCodeInput): Promise<{ code: string; expiresAt: Date }> {
  const code = randomCode();
  const expiresAt = await storeCode(tx, input, code, "codes_sent");
  return { code, expiresAt };
}

/**
 * Issues a code that nobody receives, where there is nobody to send one to (a sign-up for an
 * address that already has an account, a reset for an address without one, a change to an
 * address another account holds). Its row is written by the same statements as a real code's, and
 * it is stored as the HMAC of a random secret that nobody ever sees, so no guess matches it: the
 * code step then answers exactly as for a real code, wrong guess by wrong guess, through the lock
 * (docs/decisions/0020).
 */
export async function issueWithheldCode(tx: Tx, input: IssueCodeInput): Promise<{ expiresAt: Date }> {
  return { expiresAt: await storeCode(tx, input, randomToken(), "codes_withheld") };
}

async function storeCode(tx: Tx, input: IssueCodeInput, secret: string, metric: CodeMetric): Promise<Date> {
  await consumeSendAllowance(tx, input);
  const now = new Date();
  await tx.oneTimeCode.updateMany({
    where: { destination: input.destination, purpose: input.purpose, usedAt: null, expiresAt: { gt: now } },
    data: { expiresAt: now },
  });
  const expiresAt = new Date(now.getTime() + CODE_TTL_SECONDS * 1000);
  await tx.oneTimeCode.create({
    data: {
      channel: input.channel,
      destination: input.destination,
      purpose: input.purpose,
      codeHash: hashCode(secret, input.destination, input.purpose),
      maxAttempts: codeGuessesInTotal(),
      expiresAt,
      userId: input.userId ?? null,
    },
  });
  await incrementDailyMetric(tx, metric);
  return expiresAt;
}

type CodeInput = { destination: string; purpose: CodePurpose; code: string; requester: CodeRequester };

/** A guess that matched a live code: spend it with spendCode in the transaction of the action it allows. */
export type CodeProof = { codeId: string; userId: string | null };

type CodeCheck = ({ ok: true } & CodeProof) | ({ ok: false } & CodeFailure);

/**
 * Checks a guess against the newest code for destination + purpose in its own short transaction,
 * before the action it allows starts (ADR 0066). A wrong guess is counted there and then, so no
 * rollback can undo it; a right one is not spent here: spendCode spends it inside the action's
 * transaction, so a code is used up only when its action commits. Checks of one destination queue
 * on an advisory lock, so attempt counts are exact. Each requester has its own OTP_MAX_ATTEMPTS
 * wrong guesses at a code, within codeGuessesInTotal() from everyone (ADR 0080).
 */
export async function checkCode(input: CodeInput): Promise<CodeCheck> {
  return prisma.$transaction(
    async (tx) => {
      await lockKey(`otp:verify:${input.destination}`, tx);
      const locked = await lockedFor(tx, input.destination, input.requester);
      if (locked > 0) return { ok: false, reason: "locked", retryAfterSeconds: locked };

      const latest = await tx.oneTimeCode.findFirst({
        where: { destination: input.destination, purpose: input.purpose },
        orderBy: { createdAt: "desc" },
      });
      if (!latest) return { ok: false, reason: "none" };
      const right = safeEqual(latest.codeHash, hashCode(input.code, input.destination, input.purpose));
      // Only the holder of a code that is no longer live hears why; any other guess hears "none",
      // so a probe cannot tell that someone had a code for this address lately (attack F4).
      if (latest.usedAt) return { ok: false, reason: right ? "used" : "none" };
      if (latest.attempts >= latest.maxAttempts) return { ok: false, reason: "exhausted" };
      const mine = (await countWindow(guessKey(latest.id, input.requester), CODE_TTL_SECONDS + 60, tx)).count;
      if (mine >= codeAttempts()) return { ok: false, reason: "exhausted" };
      if (latest.expiresAt <= new Date()) return { ok: false, reason: right ? "expired" : "none" };

      if (right) return { ok: true, codeId: latest.id, userId: latest.userId };
      return recordWrongGuess(tx, latest, input.requester, mine);
    },
    { maxWait: 15_000, timeout: 15_000 },
  );
}

/**
 * checkCode for a caller that needs the code to be right: throws the person's error (400
 * invalid_code, or 429 while the destination is locked) otherwise. With `userId`, a code issued for
 * another account (or for none) counts as no code at all.
 */
export async function requireCode(input: CodeInput & { userId?: string }): Promise<CodeProof> {
  const { userId, ...guess } = input;
  const result = await checkCode(guess);
  if (!result.ok) throw codeFailureError(result);
  if (userId !== undefined && result.userId !== userId) throw codeFailureError({ reason: "none" });
  return { codeId: result.codeId, userId: result.userId };
}

/**
 * Spends a checked code in the transaction of the action it allows, as that transaction's first
 * write to it: concurrent actions with the same code queue on its row, and once the first commits
 * the others find it used (400 "This code was already used"). When the action rolls back, the
 * code is still good. A code voided by a newer one meanwhile answers "expired".
 */
export async function spendCode(tx: Tx, proof: CodeProof): Promise<void> {
  const spent = await tx.oneTimeCode.updateMany({
    where: { id: proof.codeId, usedAt: null, expiresAt: { gt: new Date() } },
    data: { usedAt: new Date() },
  });
  if (spent.count === 1) {
    await incrementDailyMetric(tx, "codes_verified");
    return;
  }
  const code = await tx.oneTimeCode.findUnique({ where: { id: proof.codeId }, select: { usedAt: true } });
  throw codeFailureError({ reason: code?.usedAt ? "used" : "expired" });
}

/**
 * Counts a wrong guess on the code (everyone's total), for the requester on this code and on this
 * address, and, for a requester unknown to the account, on the address: strangers lock themselves
 * and, together, lock other strangers out of the address, never its known owner.
 */
async function recordWrongGuess(tx: Tx, code: OneTimeCode, requester: CodeRequester, earlierGuesses: number): Promise<CodeCheck> {
  const { destination } = code;
  const [counted] = await tx.$queryRaw<{ attempts: number; max_attempts: number }[]>`
    UPDATE one_time_codes SET attempts = attempts + 1
    WHERE id = ${code.id}::uuid AND attempts < max_attempts
    RETURNING attempts, max_attempts`;
  if (!counted) return { ok: false, reason: "exhausted" };
  await recordHit(guessKey(code.id, requester), tx);
  await recordHit(requesterFailureKey(requester, destination), tx);
  if (!requester.known) await recordHit(failureKey(destination), tx);
  const attemptsLeft = Math.min(counted.max_attempts - counted.attempts, codeAttempts() - earlierGuesses - 1);
  const locked = await lockedFor(tx, destination, requester);
  if (locked > 0 || attemptsLeft === 0) {
    await incrementDailyMetric(tx, "codes_locked");
    await recordGuessesFailed(tx, code, { reason: locked > 0 ? "locked" : "exhausted", attempts: counted.attempts });
  }
  if (locked > 0) return { ok: false, reason: "locked", retryAfterSeconds: locked };
  return { ok: false, reason: "wrong", attemptsLeft };
}

/**
 * The audit trail of wrong guesses, summarised (ADR 0018): one event when a code has used up its
 * guesses, or when the guess that starts a destination's lock is made — never one per guess.
 */
async function recordGuessesFailed(tx: Tx, code: OneTimeCode, outcome: { reason: "exhausted" | "locked"; attempts: number }): Promise<void> {
  await recordAudit(
    {
      action: "user.code_guesses_failed",
      userId: code.userId,
      metadata: { purpose: code.purpose, channel: code.channel, destination: code.destination, ...outcome },
    },
    tx,
  );
}

/**
 * Seconds until `requester` may check codes for `destination` again: the tenth failure within an
 * hour starts a 15-minute lock (from the newest failure), whatever code the failures were against,
 * counted for the requester itself and, for requesters unknown to the account, for the address.
 */
async function lockedFor(tx: Tx, destination: string, requester: CodeRequester): Promise<number> {
  const own = await lockFrom(tx, requesterFailureKey(requester, destination), CODE_LIMITS.requesterFailures);
  return requester.known ? own : Math.max(own, await lockFrom(tx, failureKey(destination), CODE_LIMITS.failures));
}

async function lockFrom(tx: Tx, key: string, failures: WindowLimit): Promise<number> {
  const { count, newest } = await countWindow(key, failures.windowSeconds, tx);
  if (count < failures.limit || !newest) return 0;
  const remainingMs = newest.getTime() + CODE_LIMITS.lockSeconds * 1000 - Date.now();
  return remainingMs > 0 ? Math.ceil(remainingMs / 1000) : 0;
}

// codes_withheld counts the codes that were issued but never sent (issueWithheldCode), so the
// dashboard's "codes sent" stays true.
type CodeMetric = "codes_sent" | "codes_withheld" | "codes_verified" | "codes_locked";

/** Today's (UTC) counter for the admin trends; kept after cleanup deletes the codes themselves. */
async function incrementDailyMetric(tx: Tx, name: CodeMetric): Promise<void> {
  await tx.$executeRaw`
    INSERT INTO daily_metrics (day, name, count) VALUES ((clock_timestamp() AT TIME ZONE 'UTC')::date, ${name}, 1)
    ON CONFLICT (day, name) DO UPDATE SET count = daily_metrics.count + 1`;
}

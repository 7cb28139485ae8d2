import { beforeEach, describe, expect, it } from "vitest";
import { prisma } from "../db";
import { createTestUser, resetDatabase } from "../../test/db";
import { AppError, RateLimitedError } from "../errors";
import { ResendCooldownError, checkCode, issueCode, requireCode, resendCooldownSeconds, spendCode } from "./codes";
import { CODE_LIMITS } from "../limits";

const destination = "someone@example.test";
const purpose = "SIGNIN" as const;
/** A signed-out requester the address's account has never signed in from (ADR 0080). */
const requester = { key: "ip:192.0.2.1", known: false };

async function issue(to = destination, purposeOf: "SIGNIN" | "SIGNUP" | "PASSWORD_RESET" = purpose) {
  return prisma.$transaction((tx) => issueCode(tx, { channel: "EMAIL", destination: to, purpose: purposeOf, requester }));
}

/** Lets the 60-second resend cooldown pass, by ageing the recorded cooldown hits of `to`. */
async function skipCooldown(to = destination) {
  await prisma.rateLimitHit.updateMany({
    where: { key: { startsWith: "otp:resend:" }, AND: { key: { endsWith: to } } },
    data: { createdAt: new Date(Date.now() - 61_000) },
  });
}

/** One whole use of a code, as every caller makes it: the check, then the spend in the action's transaction. */
async function verifyCode(input: { destination: string; purpose: "SIGNIN" | "SIGNUP" | "PASSWORD_RESET"; code: string; requester?: typeof requester }) {
  const check = await checkCode({ requester, ...input });
  if (!check.ok) return check;
  try {
    await prisma.$transaction((tx) => spendCode(tx, check));
    return check;
  } catch (error) {
    if (error instanceof AppError && error.code === "invalid_code") return { ok: false as const, reason: error.details?.reason as "used" | "expired" };
    throw error;
  }
}

function wrongGuess(code: string): string {
  return code === "000000" ? "000001" : "000000";
}

async function metric(name: string): Promise<number> {
  const rows = await prisma.dailyMetric.findMany({ where: { name } });
  return rows.reduce((sum, row) => sum + row.count, 0);
}

beforeEach(resetDatabase);

describe("issueCode", () => {
  it("stores only an HMAC of a six-digit code that expires in ten minutes", async () => {
    const { code, expiresAt } = await issue();
    expect(code).toMatch(/^\d{6}$/);
    const row = await prisma.oneTimeCode.findFirstOrThrow({ where: { destination } });
    expect(row.codeHash).not.toContain(code);
    expect(row.codeHash).toMatch(/^[0-9a-f]{64}$/);
    const ttl = expiresAt.getTime() - row.createdAt.getTime();
    // The expiry is set when the code is made and createdAt when the row lands: on a busy machine
    // (two test files at once on 2 cores) seconds can pass between the two.
    expect(ttl).toBeGreaterThan(590_000);
    expect(ttl).toBeLessThanOrEqual(600_000 + 1000);
    expect(await metric("codes_sent")).toBe(1);
  });

  it("refuses a resend within 60 seconds, naming the cooldown and the wait, and allows it after", async () => {
    const input = { channel: "EMAIL", destination, purpose, requester } as const;
    expect(await resendCooldownSeconds(input)).toBe(0);
    await issue();
    const cooldown = await resendCooldownSeconds(input);
    expect(cooldown).toBeGreaterThan(55);
    expect(cooldown).toBeLessThanOrEqual(60);
    const error = await issue().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ResendCooldownError);
    const wait = (error as RateLimitedError).retryAfterSeconds;
    expect(wait).toBeGreaterThan(55);
    expect(wait).toBeLessThanOrEqual(60);
    expect((error as Error).message).toBe(`We just sent you a code. You can ask for a new code in ${wait} s.`);
    expect(await prisma.oneTimeCode.count()).toBe(1);
    await skipCooldown();
    expect(await resendCooldownSeconds(input)).toBe(0);
    await issue();
    expect(await prisma.oneTimeCode.count()).toBe(2);
  });

  it("the cooldown is per purpose, the hourly cap of 5 is per destination", async () => {
    await issue(destination, "SIGNIN");
    await issue(destination, "SIGNUP");
    for (let sent = 2; sent < 5; sent += 1) {
      await skipCooldown();
      await issue();
    }
    await skipCooldown();
    const error = await issue().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterSeconds).toBeGreaterThan(3000);
    expect(error).not.toBeInstanceOf(ResendCooldownError);
    expect(await prisma.oneTimeCode.count({ where: { destination } })).toBe(5);
    await issue("other@example.test");
  });

  it("a new code voids the older ones", async () => {
    const first = await issue();
    await skipCooldown();
    const second = await issue();
    if (first.code !== second.code) {
      expect(await verifyCode({ destination, purpose, code: first.code })).toMatchObject({ ok: false, reason: "wrong" });
    }
    expect(await verifyCode({ destination, purpose, code: second.code })).toMatchObject({ ok: true });
    const stillLive = await prisma.oneTimeCode.count({ where: { destination, usedAt: null, expiresAt: { gt: new Date() } } });
    expect(stillLive).toBe(0);
  });
});

describe("verifyCode", () => {
  it("accepts the right code once, then reports it used", async () => {
    const { code } = await issue();
    const result = await verifyCode({ destination, purpose, code });
    expect(result).toMatchObject({ ok: true, userId: null });
    expect(await verifyCode({ destination, purpose, code })).toEqual({ ok: false, reason: "used" });
    expect(await metric("codes_verified")).toBe(1);
  });

  it("a code is bound to its destination and purpose", async () => {
    const { code } = await issue();
    expect(await verifyCode({ destination: "other@example.test", purpose, code })).toEqual({ ok: false, reason: "none" });
    expect(await verifyCode({ destination, purpose: "PASSWORD_RESET", code })).toEqual({ ok: false, reason: "none" });
  });

  it("reports an expired code", async () => {
    const { code } = await issue();
    await prisma.oneTimeCode.updateMany({ data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await verifyCode({ destination, purpose, code })).toEqual({ ok: false, reason: "expired" });
  });

  it("counts down attempts and refuses even the right code after five wrong guesses", async () => {
    const { code } = await issue();
    for (let left = 4; left >= 0; left -= 1) {
      expect(await verifyCode({ destination, purpose, code: wrongGuess(code) })).toEqual({ ok: false, reason: "wrong", attemptsLeft: left });
    }
    expect(await verifyCode({ destination, purpose, code })).toEqual({ ok: false, reason: "exhausted" });
    expect((await prisma.oneTimeCode.findFirstOrThrow()).attempts).toBe(5);
    expect(await metric("codes_locked")).toBe(1);
  });

  it("ten failures in an hour lock the destination for 15 minutes, across new codes", async () => {
    const first = await issue();
    for (let guess = 0; guess < 5; guess += 1) await verifyCode({ destination, purpose, code: wrongGuess(first.code) });
    await skipCooldown();
    const second = await issue();
    for (let guess = 0; guess < 4; guess += 1) {
      expect(await verifyCode({ destination, purpose, code: wrongGuess(second.code) })).toMatchObject({ reason: "wrong" });
    }
    const tenth = await verifyCode({ destination, purpose, code: wrongGuess(second.code) });
    expect(tenth).toMatchObject({ ok: false, reason: "locked" });
    await skipCooldown();
    const third = await issue();
    const locked = await verifyCode({ destination, purpose, code: third.code });
    expect(locked.ok).toBe(false);
    if (locked.ok || locked.reason !== "locked") throw new Error("expected a lock");
    expect(locked.retryAfterSeconds).toBeGreaterThan(14 * 60);
    expect(locked.retryAfterSeconds).toBeLessThanOrEqual(15 * 60);
    // Other destinations are unaffected.
    const other = await issue("other@example.test");
    expect(await verifyCode({ destination: "other@example.test", purpose, code: other.code })).toMatchObject({ ok: true });

    // Fifteen minutes after the tenth failure the right code works again.
    await prisma.rateLimitHit.updateMany({
      where: { key: { in: [`otp:fail:${destination}`, `otp:fail-by:${requester.key}:${destination}`] } },
      data: { createdAt: new Date(Date.now() - 16 * 60_000) },
    });
    expect(await verifyCode({ destination, purpose, code: third.code })).toMatchObject({ ok: true });
  });

  it("audits wrong guesses summarised: one event per exhausted code and one per lock, none per guess (ADR 0018)", async () => {
    const user = await createTestUser({ email: destination });
    const issueFor = () => prisma.$transaction((tx) => issueCode(tx, { channel: "EMAIL", destination, purpose, userId: user.id, requester }));
    const audited = () => prisma.auditEvent.findMany({ where: { action: "user.code_guesses_failed" }, orderBy: { createdAt: "asc" } });

    const first = await issueFor();
    for (let guess = 0; guess < 4; guess += 1) await verifyCode({ destination, purpose, code: wrongGuess(first.code) });
    expect(await audited()).toHaveLength(0);
    await verifyCode({ destination, purpose, code: wrongGuess(first.code) });
    await verifyCode({ destination, purpose, code: wrongGuess(first.code) }); // refused as exhausted, not counted again
    expect(await audited()).toMatchObject([{ userId: user.id, metadata: { reason: "exhausted", purpose, attempts: 5 } }]);

    await skipCooldown();
    const second = await issueFor();
    for (let guess = 0; guess < 5; guess += 1) await verifyCode({ destination, purpose, code: wrongGuess(second.code) });
    await verifyCode({ destination, purpose, code: wrongGuess(second.code) }); // refused while locked
    expect((await audited()).map((event) => event.metadata)).toMatchObject([{ reason: "exhausted" }, { reason: "locked" }]);
  });

  it("stays exact under many concurrent wrong guesses", async () => {
    const { code } = await issue();
    const results = await Promise.all(
      Array.from({ length: 30 }, () => verifyCode({ destination, purpose, code: wrongGuess(code) })),
    );
    const row = await prisma.oneTimeCode.findFirstOrThrow();
    expect(row.attempts).toBe(5);
    const wrong = results.filter((result) => !result.ok && result.reason === "wrong");
    expect(wrong).toHaveLength(5);
    expect(wrong.map((result) => (result.ok ? -1 : "attemptsLeft" in result ? result.attemptsLeft : -1)).sort()).toEqual([0, 1, 2, 3, 4]);
    expect(await prisma.rateLimitHit.count({ where: { key: `otp:fail:${destination}` } })).toBe(5);
  });

  it("lets exactly one of several concurrent correct guesses through", async () => {
    const { code } = await issue();
    const results = await Promise.all(Array.from({ length: 12 }, () => verifyCode({ destination, purpose, code })));
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    expect(results.filter((result) => !result.ok && result.reason === "used")).toHaveLength(11);
  });

  it("locks at exactly ten failures under concurrent guesses across three codes", async () => {
    const purposes = ["SIGNIN", "SIGNUP", "PASSWORD_RESET"] as const;
    const codes = await Promise.all(purposes.map((each) => issue(destination, each)));
    await Promise.all(
      purposes.flatMap((each, index) =>
        Array.from({ length: 5 }, () => verifyCode({ destination, purpose: each, code: wrongGuess(codes[index]!.code) })),
      ),
    );
    expect(await prisma.rateLimitHit.count({ where: { key: `otp:fail:${destination}` } })).toBe(CODE_LIMITS.failures.limit);
    const attempts = await prisma.oneTimeCode.aggregate({ _sum: { attempts: true } });
    expect(attempts._sum.attempts).toBe(CODE_LIMITS.failures.limit);
    expect(await verifyCode({ destination, purpose: "SIGNUP", code: codes[1]!.code })).toMatchObject({ ok: false, reason: "locked" });
  });

  it("reports none when no code was ever sent", async () => {
    expect(await verifyCode({ destination, purpose, code: "123456" })).toEqual({ ok: false, reason: "none" });
  });
});

describe("a code is spent only when its action commits (ADR 0066)", () => {
  it("a check alone leaves the code good", async () => {
    const { code } = await issue();
    expect(await checkCode({ destination, purpose, code, requester })).toMatchObject({ ok: true });
    expect(await checkCode({ destination, purpose, code, requester })).toMatchObject({ ok: true });
    expect((await prisma.oneTimeCode.findFirstOrThrow()).usedAt).toBeNull();
  });

  it("an action that rolls back gives the code back; the next one spends it", async () => {
    const { code } = await issue();
    const proof = await requireCode({ destination, purpose, requester, code });
    const failed = await prisma
      .$transaction(async (tx) => {
        await spendCode(tx, proof);
        throw new Error("the action failed after the spend");
      })
      .catch((error: Error) => error.message);
    expect(failed).toBe("the action failed after the spend");
    expect(await verifyCode({ destination, purpose, code })).toMatchObject({ ok: true });
    expect(await metric("codes_verified")).toBe(1);
  });

  it("of twenty actions holding the same checked code, exactly one commits; the others hear it was used", async () => {
    const { code } = await issue();
    const proofs = await Promise.all(Array.from({ length: 20 }, () => requireCode({ destination, purpose, requester, code })));
    const outcomes = await Promise.all(
      proofs.map((proof) =>
        prisma
          .$transaction(async (tx) => {
            await spendCode(tx, proof);
            await new Promise((resolve) => setTimeout(resolve, 20)); // the action's own work
            return "committed";
          })
          .catch((error: AppError) => `${error.code}:${String(error.details?.reason)}`),
      ),
    );
    expect(outcomes.filter((outcome) => outcome === "committed")).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome === "invalid_code:used")).toHaveLength(19);
  });

  it("a code voided by a newer one after its check is refused as expired", async () => {
    const first = await issue();
    const proof = await requireCode({ destination, purpose, requester, code: first.code });
    await skipCooldown();
    await issue();
    const error = await prisma.$transaction((tx) => spendCode(tx, proof)).catch((caught: AppError) => caught);
    expect(error).toMatchObject({ code: "invalid_code", details: { reason: "expired" } });
  });

  it("requireCode refuses a code issued for another account as if there were none", async () => {
    const owner = await createTestUser({ email: destination });
    const { code } = await prisma.$transaction((tx) => issueCode(tx, { channel: "EMAIL", destination, purpose, userId: owner.id, requester }));
    const other = await createTestUser({ email: "other@example.test" });
    await expect(requireCode({ destination, purpose, requester, code, userId: other.id })).rejects.toMatchObject({ code: "invalid_code", details: { reason: "none" } });
    expect(await requireCode({ destination, purpose, requester, code, userId: owner.id })).toMatchObject({ userId: owner.id });
  });
});

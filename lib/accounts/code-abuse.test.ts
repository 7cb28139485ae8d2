// Strangers asking for, or guessing at, someone else's codes spend their own allowance and lock
// themselves out, never the owner (ADR 0080). Through the real sign-in flows, against PostgreSQL.
import { beforeEach, describe, expect, it } from "vitest";
import { prisma } from "../db";
import { createTestUser, resetDatabase } from "../../test/db";
import { codeIn, lastMessageTo } from "../../test/settings-support";
import { RateLimitedError } from "../errors";
import { CODE_LIMITS, codeAttempts, codeGuessesInTotal } from "../limits";
import { checkApiSignInCode, requestCodeSignIn, signInWithCode } from "./code-sign-in";
import { emailContact } from "./contact";

beforeEach(resetDatabase);

const ALICE = "alice@example.test";
const alice = emailContact(ALICE);
const home = { ip: "198.51.100.7", userAgent: "alice's browser" };
const stranger = (n: number) => ({ ip: `203.0.113.${n}`, userAgent: "curl/8" });

/** Alice signed in from home before (by code), and the hour has passed since. */
async function aliceSignedInFromHomeBefore(): Promise<string> {
  const { id } = await createTestUser({ email: ALICE });
  await requestCodeSignIn(alice, home);
  await signInWithCode({ contact: alice, code: await newestCode() }, home);
  await prisma.rateLimitHit.deleteMany({ where: { key: { startsWith: "otp:" } } });
  return id;
}

async function newestCode(): Promise<string> {
  return codeIn((await lastMessageTo(ALICE))!.text);
}

/** Lets every requester's 60-second resend cooldown pass. */
async function skipCooldowns() {
  await prisma.rateLimitHit.updateMany({ where: { key: { startsWith: "otp:resend:" } }, data: { createdAt: new Date(Date.now() - 61_000) } });
}

/** A client's code sign-in (POST /api/auth/token): the check, then the account's transaction. */
async function signInByApi(code: string, context: { ip: string; userAgent: string }) {
  return prisma.$transaction(await checkApiSignInCode({ email: ALICE, code }, context));
}

function wrong(code: string): string {
  return code === "000000" ? "000001" : "000000";
}

describe("code sends (ADR 0080)", () => {
  it("strangers who fill alice's hourly cap spend their own allowance; alice still gets and uses a code", async () => {
    const aliceId = await aliceSignedInFromHomeBefore();
    const perRequester = CODE_LIMITS.sends.limit;
    // Two strangers, each up to their own cap, between them fill the address's cap of 10.
    for (const n of [1, 2]) {
      for (let sent = 0; sent < perRequester; sent += 1) {
        await skipCooldowns();
        await requestCodeSignIn(alice, stranger(n));
      }
      await skipCooldowns();
      await expect(requestCodeSignIn(alice, stranger(n))).rejects.toBeInstanceOf(RateLimitedError);
    }
    // The mailbox is protected: a third stranger gets nothing sent.
    await expect(requestCodeSignIn(alice, stranger(3))).rejects.toBeInstanceOf(RateLimitedError);
    expect(await prisma.outboxMessage.count({ where: { to: ALICE } })).toBe(1 + CODE_LIMITS.sendsPerAddress.limit);

    // Alice, from the network she signed in from before, is not refused by what strangers spent.
    await requestCodeSignIn(alice, home);
    const signedIn = await signInWithCode({ contact: alice, code: await newestCode() }, home);
    expect((await prisma.device.findUniqueOrThrow({ where: { id: signedIn.deviceId } })).userId).toBe(aliceId);
  });
});

describe("code checks (ADR 0080)", () => {
  it("strangers' wrong codes lock the strangers out, never alice's code", async () => {
    const aliceId = await aliceSignedInFromHomeBefore();
    await requestCodeSignIn(alice, home);
    const code = await newestCode();

    // The first stranger uses up its own guesses at this code, and is refused even the right one.
    for (let left = codeAttempts() - 1; left >= 0; left -= 1) {
      await expect(signInByApi(wrong(code), stranger(1))).rejects.toMatchObject({ code: "invalid_code", details: { reason: "wrong", attemptsLeft: left } });
    }
    await expect(signInByApi(code, stranger(1))).rejects.toMatchObject({ code: "invalid_code", details: { reason: "exhausted" } });
    // A second stranger brings strangers' failures at the address to 10: a third is locked out.
    for (let guess = 0; guess < codeAttempts(); guess += 1) await signInByApi(wrong(code), stranger(2)).catch(() => undefined);
    await expect(signInByApi(code, stranger(3))).rejects.toBeInstanceOf(RateLimitedError);

    // Alice's code still signs her in.
    expect(await signInByApi(code, home)).toMatchObject({ userId: aliceId });
  });

  it("bounds wrong guesses at one code: at most 10 from strangers and 15 in all, exactly, under concurrency", async () => {
    await aliceSignedInFromHomeBefore();
    await requestCodeSignIn(alice, home);
    const code = await newestCode();
    const guesses = [
      ...Array.from({ length: 6 }, (_, n) => Array.from({ length: codeAttempts() }, () => stranger(10 + n))).flat(),
      ...Array.from({ length: codeAttempts() + 2 }, () => home),
    ];
    await Promise.allSettled(guesses.map((context) => signInByApi(wrong(code), context)));

    const row = await prisma.oneTimeCode.findFirstOrThrow({ where: { destination: ALICE, usedAt: null }, orderBy: { createdAt: "desc" } });
    expect(row.attempts).toBe(codeGuessesInTotal());
    expect(codeGuessesInTotal()).toBe(CODE_LIMITS.failures.limit + codeAttempts());
    expect(await prisma.rateLimitHit.count({ where: { key: `otp:fail:${ALICE}` } })).toBe(CODE_LIMITS.failures.limit);
    await expect(signInByApi(code, home)).rejects.toMatchObject({ code: "invalid_code", details: { reason: "exhausted" } });
  });
});

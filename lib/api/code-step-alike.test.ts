import { afterAll, beforeEach, expect, it } from "vitest";
import { createTestUser, resetDatabase } from "../../test/db";
import { startApiServer } from "../../test/http-server";
import { prisma } from "../db";

// Issue 10, item 4, for the messaging-client API over HTTP: POST /api/auth/code and the code
// exchange at POST /api/auth/token answer byte for byte alike for an address with an active
// account, one with a deactivated account and one without, through the fifth wrong guess, the
// exhausted code, a new code and the destination's lock. (The browser flows: e2e/code-step-alike.spec.ts.)

const server = await startApiServer();
afterAll(() => server.close());
beforeEach(resetDatabase);

type Answer = { status: number; body: string; retryAfter: string | null };

async function post(path: string, body: unknown): Promise<Answer> {
  const response = await fetch(`${server.url}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  return { status: response.status, body: await response.text(), retryAfter: response.headers.get("retry-after") };
}

/** Codes mailed to any of `addresses`: the guesses below must all be wrong for every side. */
async function mailedCodes(addresses: string[]): Promise<Set<string>> {
  const messages = await prisma.outboxMessage.findMany({ where: { to: { in: addresses } } });
  return new Set(messages.flatMap((message) => /\b(\d{6})\b/.exec(message.text)?.[1] ?? []));
}

async function wrongGuesses(addresses: string[], count: number): Promise<string[]> {
  const sent = await mailedCodes(addresses);
  const guesses: string[] = [];
  for (let candidate = 0; guesses.length < count; candidate += 1) {
    const guess = String(candidate).padStart(6, "0");
    if (!sent.has(guess)) guesses.push(guess);
  }
  return guesses;
}

/**
 * Runs one step for every address and expects the same answer from each; returns it. All requests
 * come from 127.0.0.1, so its per-IP allowance is refilled first: it is not what this test is about.
 */
async function alike(addresses: string[], step: (address: string) => Promise<Answer>): Promise<Answer> {
  const answers = [];
  for (const address of addresses) {
    await prisma.rateLimitBucket.deleteMany({ where: { key: { startsWith: "ip:" } } });
    answers.push(await step(address));
  }
  for (const answer of answers.slice(1)) expect(answer).toEqual(answers[0]);
  return answers[0]!;
}

// The same three people by email and by phone number (codes texted: issue 13).
const CASES = [
  {
    field: "email",
    active: { email: "active@example.test" },
    deactivated: { email: "deactivated@example.test", isActive: false },
    unknown: "nobody@example.test",
  },
  {
    field: "phoneNumber",
    active: { phoneNumber: "+14155550101", phoneVerified: true },
    deactivated: { phoneNumber: "+14155550102", phoneVerified: true, isActive: false },
    unknown: "+14155550103",
  },
] as const;

it.each(CASES)("the code step by $field answers alike for an active account, a deactivated one and no account, through the lock", async ({ field, active, deactivated, unknown }) => {
  const addressOf = (user: { email: string | null; phoneNumber: string | null }) => (field === "email" ? user.email! : user.phoneNumber!);
  const addresses = [addressOf(await createTestUser(active)), addressOf(await createTestUser(deactivated)), unknown];
  const requestCode = (address: string) => post("/api/auth/code", { [field]: address });
  const exchange = (code: string) => (address: string) => post("/api/auth/token", { [field]: address, code, deviceName: "Phone" });

  expect((await alike(addresses, requestCode)).status).toBe(202);
  const guesses = await wrongGuesses(addresses, 6);
  for (const [index, guess] of guesses.slice(0, 5).entries()) {
    const answer = await alike(addresses, exchange(guess));
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body).error.message).toMatch(index < 4 ? `${4 - index} attempt` : /last attempt/);
  }
  expect((await alike(addresses, exchange(guesses[5]!))).body).toMatch(/Too many wrong guesses for this code/);

  // After the resend wait, a new code; five more failures (ten for the address) lock it.
  await prisma.$executeRaw`UPDATE rate_limit_hits SET created_at = created_at - interval '2 minutes' WHERE key LIKE 'otp:resend:%'`;
  expect((await alike(addresses, requestCode)).status).toBe(202);
  const moreGuesses = await wrongGuesses(addresses, 6);
  for (const guess of moreGuesses.slice(0, 4)) expect((await alike(addresses, exchange(guess))).status).toBe(400);
  const locked = await alike(addresses, exchange(moreGuesses[4]!));
  expect(locked).toMatchObject({ status: 429, retryAfter: "900" });
  expect(await alike(addresses, exchange(moreGuesses[5]!))).toEqual(locked);
});

// Attack F4: a code exchange for an address whose latest code was used (someone signed in by code
// lately), one whose code expired and one that never had a code answer alike, so a guess tells
// nothing about the address's recent sign-ins.
it("a guess answers alike whether the address's latest code was used, expired or never sent", async () => {
  const [used, expired, never] = ["used@example.test", "expired@example.test", "never@example.test"];
  for (const address of [used, expired]) expect((await post("/api/auth/code", { email: address })).status).toBe(202);
  const [code] = await mailedCodes([used]);
  expect((await post("/api/auth/token", { email: used, code, deviceName: "Phone" })).status).toBe(201);
  await prisma.oneTimeCode.updateMany({ where: { destination: expired }, data: { expiresAt: new Date(Date.now() - 1000) } });
  const [guess] = await wrongGuesses([used, expired], 1);
  const answer = await alike([used, expired, never], (address) => post("/api/auth/token", { email: address, code: guess, deviceName: "Phone" }));
  expect(answer.status).toBe(400);
  expect(JSON.parse(answer.body).error).toMatchObject({ code: "invalid_code", message: expect.stringMatching(/^That code is not right/) });
});

import { beforeEach, describe, expect, it } from "vitest";
import { Secret, TOTP } from "otpauth";
import { prisma } from "../db";
import { createTestUser, resetDatabase } from "../../test/db";
import { AppError } from "../errors";
import { hashPassword } from "../auth/password";
import { redeemSignInTicket } from "../auth/sessions";
import { signInClient } from "../api/client-sign-in";
import { confirmTwoStepSetup, startTwoStepSetup } from "../two-step/two-step";
import { emailContact } from "./contact";
import { signInWithPassword } from "./password-sign-in";
import { finishTwoStepBrowserSignIn } from "./two-step-sign-in";
import { SecondFactorRequired } from "../two-step/challenges";

const context = { ip: "203.0.113.7", userAgent: "vitest" };
const password = "correct horse battery staple";

function codeAt(key: string, steps = 0): string {
  return new TOTP({ secret: Secret.fromBase32(key.replace(/ /g, "")), digits: 6, period: 30 }).generate({ timestamp: Date.now() + steps * 30_000 });
}

async function awayFromStepEdge(): Promise<void> {
  const intoStep = Date.now() % 30_000;
  if (intoStep > 25_000) await new Promise((resolve) => setTimeout(resolve, 30_500 - intoStep));
}

/** An account with a password and two-step verification on; the confirming step is spent. */
async function accountWithTwoStep() {
  const user = await createTestUser({ password: await hashPassword(password) });
  const setup = await startTwoStepSetup(user.id, user.email!);
  await awayFromStepEdge();
  const { recoveryCodes } = await confirmTwoStepSetup(user.id, codeAt(setup.secret), context);
  return { user, key: setup.secret, recoveryCodes };
}

/** The challenge a first factor leaves (it throws SecondFactorRequired after its commit). */
async function challengeOf(firstFactor: Promise<unknown>): Promise<string> {
  const refusal = await firstFactor.then(
    () => null,
    (error: unknown) => error,
  );
  expect(refusal).toBeInstanceOf(SecondFactorRequired);
  return (refusal as SecondFactorRequired).issued.challenge;
}

beforeEach(resetDatabase);

describe("browser sign-in with two-step verification on", () => {
  it("yields a challenge and no session after the password, and a session only after the app's code", async () => {
    const { user, key } = await accountWithTwoStep();
    const challenge = await challengeOf(signInWithPassword({ contact: emailContact(user.email!), password }, context));
    expect(await prisma.session.count()).toBe(0);
    await expect(finishTwoStepBrowserSignIn({ challenge, factor: { totp: "000000" } }, context)).rejects.toMatchObject({
      code: "invalid_code",
    });
    await awayFromStepEdge();
    const signedIn = await finishTwoStepBrowserSignIn({ challenge, factor: { totp: codeAt(key, 1) } }, context);
    expect((await redeemSignInTicket(signedIn.ticket))?.userId).toBe(user.id);
    // The challenge is spent: the same code (or any other) cannot make a second session with it.
    await expect(finishTwoStepBrowserSignIn({ challenge, factor: { totp: codeAt(key, 1) } }, context)).rejects.toMatchObject({
      code: "challenge_expired",
    });
  });

  it("leaves an account without two-step verification signing in at once", async () => {
    const user = await createTestUser({ password: await hashPassword(password) });
    const signedIn = await signInWithPassword({ contact: emailContact(user.email!), password }, context);
    expect(signedIn.ticket).toEqual(expect.any(String));
  });
});

describe("POST /api/auth/token with two-step verification on", () => {
  it("answers second_factor_required with a challenge, then a token for the challenge and a recovery code, once", async () => {
    const { user, recoveryCodes } = await accountWithTwoStep();
    const refusal = await signInClient({ email: user.email!, password, deviceName: "Phone" }, context).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(AppError);
    expect(refusal).toMatchObject({ code: "second_factor_required", status: 401, answer: { challenge: expect.any(String), expiresAt: expect.any(String) } });
    expect(await prisma.device.count()).toBe(0);
    const challenge = String((refusal as AppError).answer!.challenge);
    // Nothing of the second factor shows before the first succeeds: a wrong password is the usual refusal.
    await expect(signInClient({ email: user.email!, password: "wrong password", deviceName: "Phone" }, context)).rejects.toMatchObject({
      code: "invalid_credentials",
    });
    const token = await signInClient({ challenge, recoveryCode: recoveryCodes[0]! }, context);
    expect(token.userId).toBe(user.id);
    expect(await prisma.device.findUniqueOrThrow({ where: { id: token.deviceId } })).toMatchObject({ name: "Phone", kind: "CLIENT" });
    await expect(signInClient({ challenge, recoveryCode: recoveryCodes[1]! }, context)).rejects.toMatchObject({ code: "challenge_expired" });
  });

  it("refuses a browser's challenge over the API", async () => {
    const { user, key } = await accountWithTwoStep();
    const challenge = await challengeOf(signInWithPassword({ contact: emailContact(user.email!), password }, context));
    await awayFromStepEdge();
    await expect(signInClient({ challenge, totp: codeAt(key, 1) }, context)).rejects.toMatchObject({ code: "challenge_expired" });
  });

  it("kills a challenge at its third wrong answer, so each round of guesses costs a first factor (attack F6)", async () => {
    const { user, key } = await accountWithTwoStep();
    const firstFactor = async () => {
      const refusal = await signInClient({ email: user.email!, password, deviceName: "Phone" }, context).catch((error: unknown) => error);
      return String((refusal as AppError).answer!.challenge);
    };
    const challenge = await firstFactor();
    await awayFromStepEdge();
    const wrong = codeAt(key, 1) === "000000" ? "111111" : "000000";
    for (let answer = 1; answer < 3; answer++) {
      await expect(signInClient({ challenge, totp: wrong }, context)).rejects.toMatchObject({ code: "invalid_code", status: 400 });
    }
    await expect(signInClient({ challenge, totp: wrong }, context)).rejects.toMatchObject({ code: "challenge_expired", status: 401 });
    await expect(signInClient({ challenge, totp: codeAt(key, 1) }, context)).rejects.toMatchObject({ code: "challenge_expired" });
    expect(await prisma.session.count()).toBe(0);
    // A new first factor opens a new round.
    const token = await signInClient({ challenge: await firstFactor(), totp: codeAt(key, 1) }, context);
    expect(token.userId).toBe(user.id);
  });
});

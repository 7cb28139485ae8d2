import { beforeEach, describe, expect, it } from "vitest";
import { Secret, TOTP } from "otpauth";
import { prisma } from "../db";
import { createTestUser, resetDatabase } from "../../test/db";
import { openSecret } from "../crypto";
import { RateLimitedError } from "../errors";
import { TWO_STEP_LIMITS } from "../limits";
import { turnOffUserTwoStep } from "../admin/actions";
import { findTwoStepChallenge, issueTwoStepChallenge, spendTwoStepChallenge } from "./challenges";
import {
  RECOVERY_CODE_COUNT,
  checkSecondFactor,
  confirmTwoStepSetup,
  isTwoStepOn,
  regenerateRecoveryCodes,
  startTwoStepSetup,
  turnOffTwoStep,
  twoStepStatus,
} from "./two-step";

const context = { ip: "203.0.113.9", userAgent: "vitest" };

/** The code an authenticator app shows `steps` periods from now, for the key shown as text. */
function codeAt(shownKey: string, steps = 0): string {
  const totp = new TOTP({ secret: Secret.fromBase32(shownKey.replace(/ /g, "")), digits: 6, period: 30 });
  return totp.generate({ timestamp: Date.now() + steps * 30_000 });
}

/** Waits out the last seconds of a 30-second step, so a code computed now is still of this step when checked. */
async function awayFromStepEdge(): Promise<void> {
  const intoStep = Date.now() % 30_000;
  if (intoStep > 25_000) await new Promise((resolve) => setTimeout(resolve, 30_500 - intoStep));
}

async function userWithTwoStep() {
  const user = await createTestUser();
  const setup = await startTwoStepSetup(user.id, user.email!);
  await awayFromStepEdge();
  const { recoveryCodes } = await confirmTwoStepSetup(user.id, codeAt(setup.secret), context);
  // The confirming code's step is spent: later checks in a test use the next step's code.
  return { user, key: setup.secret, recoveryCodes };
}

const subjectsTo = async (to: string) => (await prisma.outboxMessage.findMany({ where: { to }, orderBy: { createdAt: "asc" } })).map((mail) => mail.subject);

beforeEach(resetDatabase);

describe("setup", () => {
  it("stores the secret only encrypted and bound to its owner, and shows it as an otpauth URI and a QR code", async () => {
    const user = await createTestUser();
    const setup = await startTwoStepSetup(user.id, user.email!);
    const secret = setup.secret.replace(/ /g, "");
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(setup.uri).toBe(`otpauth://totp/Latchkey:${encodeURIComponent(user.email!)}?issuer=Latchkey&secret=${secret}&algorithm=SHA1&digits=6&period=30`);
    expect(setup.qrCode).toMatch(/^data:image\/png;base64,/);
    const [row] = await prisma.$queryRaw<Record<string, unknown>[]>`SELECT * FROM two_steps WHERE user_id = ${user.id}::uuid`;
    expect(JSON.stringify(row)).not.toContain(secret);
    expect(openSecret(String(row!.secret_encrypted), user.id)).toBe(secret);
    const other = await createTestUser();
    expect(() => openSecret(String(row!.secret_encrypted), other.id)).toThrow();
    expect(await isTwoStepOn(user.id)).toBe(false);
  });

  it("turns on only with a current code, then gives ten single-use recovery codes stored hashed, audits and mails", async () => {
    const user = await createTestUser();
    const setup = await startTwoStepSetup(user.id, user.email!);
    await expect(confirmTwoStepSetup(user.id, codeAt(setup.secret, 3), context)).rejects.toMatchObject({ code: "invalid_code" });
    expect(await isTwoStepOn(user.id)).toBe(false);
    await awayFromStepEdge();
    const { recoveryCodes } = await confirmTwoStepSetup(user.id, codeAt(setup.secret), context);
    expect(recoveryCodes).toHaveLength(RECOVERY_CODE_COUNT);
    expect(new Set(recoveryCodes).size).toBe(RECOVERY_CODE_COUNT);
    for (const code of recoveryCodes) expect(code).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
    const stored = await prisma.recoveryCode.findMany({ where: { userId: user.id } });
    expect(stored.map((row) => row.codeHash).join()).not.toContain(recoveryCodes[0]!.replace(/-/g, ""));
    expect(await twoStepStatus(user.id)).toMatchObject({ on: true, recoveryCodesLeft: 10 });
    expect(await subjectsTo(user.email!)).toEqual(["Two-step verification is on for your Latchkey account"]);
    expect(await prisma.auditEvent.count({ where: { userId: user.id, action: "two_step.enabled" } })).toBe(1);
    await expect(startTwoStepSetup(user.id, user.email!)).rejects.toMatchObject({ code: "two_step_already_on", status: 409 });
  });
});

describe("codes from the app", () => {
  it("tolerates one step of clock drift either way, not two", async () => {
    const { user, key } = await userWithTwoStep();
    await awayFromStepEdge();
    await expect(checkSecondFactor(user.id, { totp: codeAt(key, -2) }, context)).rejects.toMatchObject({ code: "invalid_code" });
    await expect(checkSecondFactor(user.id, { totp: codeAt(key, 2) }, context)).rejects.toMatchObject({ code: "invalid_code" });
    await expect(checkSecondFactor(user.id, { totp: codeAt(key, 1) }, context)).resolves.toEqual({ via: "totp" });
  });

  it("never accepts the same step twice, nor an earlier one after a later", async () => {
    const { user, key } = await userWithTwoStep();
    await awayFromStepEdge();
    const code = codeAt(key, 1);
    await checkSecondFactor(user.id, { totp: code }, context);
    await expect(checkSecondFactor(user.id, { totp: code }, context)).rejects.toMatchObject({ code: "code_already_used" });
    await expect(checkSecondFactor(user.id, { totp: codeAt(key, 0) }, context)).rejects.toMatchObject({ code: "code_already_used" });
  });

  it("accepts one of two concurrent checks of the same code", async () => {
    const { user, key } = await userWithTwoStep();
    await awayFromStepEdge();
    const code = codeAt(key, 1);
    const results = await Promise.allSettled([1, 2, 3].map(() => checkSecondFactor(user.id, { totp: code }, context)));
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
  });

  it("counts wrong answers in PostgreSQL and refuses even the right code once the requester's limit is spent", async () => {
    const { user, key } = await userWithTwoStep();
    for (let guess = 0; guess < TWO_STEP_LIMITS.failures.perRequester.limit; guess++) {
      await expect(checkSecondFactor(user.id, { recoveryCode: "aaaa-bbbb-cccc" }, context)).rejects.toMatchObject({ status: 400 });
    }
    await awayFromStepEdge();
    const refusal = await checkSecondFactor(user.id, { totp: codeAt(key, 1) }, context).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(RateLimitedError);
    expect((refusal as RateLimitedError).retryAfterSeconds).toBeGreaterThan(3000);
    expect(await prisma.auditEvent.count({ where: { userId: user.id, action: "two_step.failed" } })).toBe(TWO_STEP_LIMITS.failures.perRequester.limit);
  });

  it("never refuses the owner for strangers' wrong answers, caps the account for requesters that failed, and mails the owner once (attack F6)", async () => {
    const { user, key } = await userWithTwoStep();
    const { perRequester, perAccount } = TWO_STEP_LIMITS.failures;
    const strangers = Array.from({ length: perAccount.limit / perRequester.limit }, (_, index) => ({ ip: `198.51.100.${index + 10}`, userAgent: "guesser" }));
    for (const stranger of strangers) {
      for (let guess = 0; guess < perRequester.limit; guess++) {
        await expect(checkSecondFactor(user.id, { recoveryCode: "aaaa-bbbb-cccc" }, stranger)).rejects.toMatchObject({ status: 400 });
      }
    }
    // The account's cap is reached: a requester that failed here is refused, whatever it sends…
    await expect(checkSecondFactor(user.id, { recoveryCode: "aaaa-bbbb-cccc" }, strangers[0]!)).rejects.toBeInstanceOf(RateLimitedError);
    // …while the owner, from an address without failures, signs in with the app's code.
    await awayFromStepEdge();
    await expect(checkSecondFactor(user.id, { totp: codeAt(key, 1) }, context)).resolves.toEqual({ via: "totp" });
    const guessed = (await subjectsTo(user.email!)).filter((subject) => subject?.startsWith("Someone is trying to get past two-step verification"));
    expect(guessed).toHaveLength(1);
    expect(await prisma.auditEvent.count({ where: { userId: user.id, action: "two_step.guessing_noticed" } })).toBe(1);
  });
});

describe("recovery codes", () => {
  it("work once each, in any case and spacing, and tell the owner by mail", async () => {
    const { user, recoveryCodes } = await userWithTwoStep();
    await expect(checkSecondFactor(user.id, { recoveryCode: ` ${recoveryCodes[0]!.toUpperCase().replace(/-/g, " ")} ` }, context)).resolves.toEqual({
      via: "recovery_code",
    });
    await expect(checkSecondFactor(user.id, { recoveryCode: recoveryCodes[0]! }, context)).rejects.toMatchObject({ code: "invalid_recovery_code" });
    expect(await twoStepStatus(user.id)).toMatchObject({ recoveryCodesLeft: 9 });
    expect(await subjectsTo(user.email!)).toContain("A recovery code was used to sign in to your Latchkey account");
  });

  it("die when new ones are made", async () => {
    const { user, recoveryCodes } = await userWithTwoStep();
    const fresh = await regenerateRecoveryCodes(user.id, context);
    await expect(checkSecondFactor(user.id, { recoveryCode: recoveryCodes[1]! }, context)).rejects.toMatchObject({ code: "invalid_recovery_code" });
    await expect(checkSecondFactor(user.id, { recoveryCode: fresh.recoveryCodes[1]! }, context)).resolves.toEqual({ via: "recovery_code" });
    expect(await subjectsTo(user.email!)).toContain("New recovery codes for your Latchkey account");
  });
});

describe("turning off", () => {
  it("by the owner is audited as theirs and mailed", async () => {
    const { user } = await userWithTwoStep();
    expect(await turnOffTwoStep(user.id, context)).toBe(true);
    expect(await turnOffTwoStep(user.id, context)).toBe(false);
    expect(await prisma.auditEvent.count({ where: { userId: user.id, action: "two_step.disabled" } })).toBe(1);
    expect(await subjectsTo(user.email!)).toContain("Two-step verification was turned off on your Latchkey account");
  });

  it("by an admin removes the secret, the codes and open challenges, audits who did it and mails the owner", async () => {
    const { user } = await userWithTwoStep();
    const admin = await createTestUser({ role: "ADMIN" });
    const { challenge } = await prisma.$transaction((tx) => issueTwoStepChallenge(tx, { userId: user.id, kind: "BROWSER", via: "password" }));
    await turnOffUserTwoStep({ actor: { id: admin.id, authenticatedAt: new Date() }, userId: user.id, context });
    await expect(turnOffUserTwoStep({ actor: { id: admin.id, authenticatedAt: new Date() }, userId: user.id, context })).rejects.toMatchObject({ code: "two_step_not_on", status: 409 });
    expect(await prisma.twoStep.count()).toBe(0);
    expect(await prisma.recoveryCode.count()).toBe(0);
    await expect(findTwoStepChallenge(challenge, "BROWSER")).rejects.toMatchObject({ code: "challenge_expired" });
    expect(await prisma.auditEvent.findFirst({ where: { action: "admin.two_step_disabled" } })).toMatchObject({ userId: user.id, actorId: admin.id });
    expect(await subjectsTo(user.email!)).toContain("An administrator turned off two-step verification on your Latchkey account");
  });
});

describe("sign-in challenges", () => {
  it("are stored hashed, bound to their kind of sign-in, and spent once", async () => {
    const user = await createTestUser();
    const { challenge } = await prisma.$transaction((tx) => issueTwoStepChallenge(tx, { userId: user.id, kind: "CLIENT", via: "code", deviceName: "Phone" }));
    expect(await prisma.twoStepChallenge.count({ where: { tokenHash: challenge } })).toBe(0);
    await expect(findTwoStepChallenge(challenge, "BROWSER")).rejects.toMatchObject({ status: 401 });
    expect(await findTwoStepChallenge(challenge, "CLIENT")).toMatchObject({ userId: user.id, deviceName: "Phone", via: "code" });
    await prisma.$transaction((tx) => spendTwoStepChallenge(tx, challenge));
    await expect(prisma.$transaction((tx) => spendTwoStepChallenge(tx, challenge))).rejects.toMatchObject({ code: "challenge_expired" });
  });
});

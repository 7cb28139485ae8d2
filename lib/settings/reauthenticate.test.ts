import { beforeEach, describe, expect, it } from "vitest";
import { prisma } from "../db";
import { hashPassword } from "../auth/password";
import { createTestUser, resetDatabase } from "../../test/db";
import { hasRecentSignIn } from "../auth/recent-sign-in";
import {
  reauthenticateWithCode,
  reauthenticateWithPassword,
  reauthenticateWithSecondFactor,
  reauthenticationMethods,
  sendReauthenticationCode,
} from "./reauthenticate";
import { ageSignIn, codeIn, lastMessageTo, signIn } from "../../test/settings-support";
import { accountWithTwoStep, awayFromStepEdge, codeAt } from "../../test/two-step-support";
import { isTwoStepOn } from "../two-step/two-step";
import { turnOffOwnTwoStep } from "./two-step";

beforeEach(resetDatabase);

const PASSWORD = "correct horse battery";

async function staleAccount(overrides: Parameters<typeof createTestUser>[0] = {}) {
  const user = await createTestUser(overrides);
  const { session } = await signIn(user.id);
  return { user, session: await ageSignIn(session.id, 30) };
}

const freshness = async (sessionId: string) =>
  hasRecentSignIn(await prisma.session.findUniqueOrThrow({ where: { id: sessionId } }));

describe("confirming it's you", () => {
  it("with the password gives 10 minutes of recent sign-in; a wrong one gives nothing", async () => {
    const { session } = await staleAccount({ password: await hashPassword(PASSWORD) });
    expect(hasRecentSignIn(session)).toBe(false);
    await expect(reauthenticateWithPassword(session, "wrong password")).rejects.toMatchObject({ code: "wrong_password" });
    expect(await freshness(session.id)).toBe(false);
    await reauthenticateWithPassword(session, PASSWORD);
    expect(await freshness(session.id)).toBe(true);
  });

  it("with a code mailed to the account's own address", async () => {
    const { user, session } = await staleAccount();
    expect(await sendReauthenticationCode(session)).toEqual({ sentTo: user.email });
    const code = codeIn((await lastMessageTo(user.email!))!.text);
    await expect(reauthenticateWithCode(session, code === "000000" ? "111111" : "000000")).rejects.toMatchObject({ code: "invalid_code" });
    expect(await freshness(session.id)).toBe(false);
    await reauthenticateWithCode(session, code);
    expect(await freshness(session.id)).toBe(true);
    await expect(reauthenticateWithCode(session, code)).rejects.toMatchObject({ code: "invalid_code" });
  });

  it("by SMS when the account has no address", async () => {
    const { session } = await staleAccount({ email: null, phoneNumber: "+14155552671" });
    await sendReauthenticationCode(session);
    const sms = (await lastMessageTo("+14155552671"))!;
    expect(sms.channel).toBe("SMS");
    await reauthenticateWithCode(session, codeIn(sms.text));
    expect(await freshness(session.id)).toBe(true);
  });

  it("an account without a password is told to use a code", async () => {
    const { session } = await staleAccount();
    await expect(reauthenticateWithPassword(session, PASSWORD)).rejects.toMatchObject({ code: "no_password" });
  });

  it("a sign-in code for the same address does not count", async () => {
    const { user, session } = await staleAccount();
    const { issueCode } = await import("../verification/codes");
    const { code } = await prisma.$transaction((tx) =>
      issueCode(tx, { channel: "EMAIL", destination: user.email!, purpose: "SIGNIN", userId: user.id, requester: { key: "ip:192.0.2.1", known: true } }),
    );
    await expect(reauthenticateWithCode(session, code)).rejects.toMatchObject({ code: "invalid_code" });
    expect(await freshness(session.id)).toBe(false);
  });
});

describe("confirming it's you with two-step verification on (attack F3)", () => {
  const context = { ip: "203.0.113.5", userAgent: "vitest" };

  it("refuses the password and an emailed code, so one factor cannot turn two-step off; the app's code or a recovery code confirms", async () => {
    const { user, key, recoveryCodes } = await accountWithTwoStep(PASSWORD);
    const { session: fresh } = await signIn(user.id);
    const session = await ageSignIn(fresh.id, 30);
    expect(await reauthenticationMethods(await prisma.user.findUniqueOrThrow({ where: { id: user.id } }))).toEqual({
      hasPassword: false,
      codeDestination: null,
      hasPasskey: false,
      twoStepOn: true,
    });
    await expect(reauthenticateWithPassword(session, PASSWORD)).rejects.toMatchObject({ code: "second_factor_needed", status: 400 });
    await expect(sendReauthenticationCode(session)).rejects.toMatchObject({ code: "second_factor_needed" });
    expect(await prisma.oneTimeCode.count({ where: { purpose: "REAUTHENTICATE" } })).toBe(0);
    expect(await freshness(session.id)).toBe(false);
    await expect(turnOffOwnTwoStep(session, context)).rejects.toMatchObject({ code: "reauthentication_required" });
    expect(await isTwoStepOn(user.id)).toBe(true);

    await expect(reauthenticateWithSecondFactor(session, { totp: "000000" }, context)).rejects.toMatchObject({ status: 400 });
    expect(await freshness(session.id)).toBe(false);
    await awayFromStepEdge();
    await reauthenticateWithSecondFactor(session, { totp: codeAt(key, 1) }, context);
    expect(await freshness(session.id)).toBe(true);

    const again = await ageSignIn(session.id, 30);
    await reauthenticateWithSecondFactor(again, { recoveryCode: recoveryCodes[0]! }, context);
    expect(await freshness(session.id)).toBe(true);
  });
});


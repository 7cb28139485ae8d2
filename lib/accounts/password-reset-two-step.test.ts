import { beforeEach, describe, expect, it } from "vitest";
import { prisma } from "../db";
import { settleAfterAnswer } from "../after-answer";
import { resetDatabase } from "../../test/db";
import { signIn } from "../../test/settings-support";
import { accountWithTwoStep, awayFromStepEdge, codeAt } from "../../test/two-step-support";
import { verifyPassword } from "../auth/password";
import { redeemSignInTicket } from "../auth/sessions";
import { isLinkTokenUsable } from "../verification/links";
import { requestPasswordReset, resetPasswordWithCode, resetPasswordWithLink } from "./password-reset";

// Attack F5 (ADR 0087): with two-step verification on, the mailbox alone changes nothing; the
// reset form takes the second factor, checked before the password, sessions and passkeys change.

const context = { ip: "192.0.2.44", userAgent: "vitest" };
const OLD_PASSWORD = "correct horse battery";
const NEW_PASSWORD = "violet-harbor-lantern-7";

beforeEach(resetDatabase);

async function resetMailTo(to: string): Promise<{ code: string; token: string }> {
  await settleAfterAnswer();
  const mail = await prisma.outboxMessage.findFirstOrThrow({ where: { to }, orderBy: { createdAt: "desc" } });
  return { code: /\b(\d{6})\b/.exec(mail.text)![1]!, token: /\/reset\/([\w-]+)/.exec(mail.text)![1]! };
}

/** An account with two-step on, a passkey, a live session and a reset mail in its mailbox. */
async function accountBeingReset() {
  const account = await accountWithTwoStep(OLD_PASSWORD);
  const { user } = account;
  await prisma.passkey.create({
    data: { userId: user.id, credentialId: "owner-key", publicKey: Buffer.from([1]), backedUp: false, deviceType: "SINGLE_DEVICE", aaguid: "00000000-0000-0000-0000-000000000000", name: "Owner's key" },
  });
  const { session } = await signIn(user.id);
  await requestPasswordReset({ email: user.email! }, context);
  return { ...account, session, mail: await resetMailTo(user.email!) };
}

/** Nothing the reset would change has changed. */
async function expectUntouched(userId: string, sessionId: string) {
  const user = await prisma.user.findUniqueOrThrow({ where: { id: userId } });
  expect(await verifyPassword(user.password!, OLD_PASSWORD)).toMatchObject({ ok: true });
  expect(await prisma.passkey.count({ where: { userId } })).toBe(1);
  expect(await prisma.session.count({ where: { id: sessionId } })).toBe(1);
}

describe("a password reset with two-step verification on", () => {
  it("by link changes nothing without the second factor or with a wrong one, and everything at once with it", async () => {
    const { user, key, session, mail } = await accountBeingReset();
    await expect(resetPasswordWithLink({ token: mail.token, password: NEW_PASSWORD, removePasskeys: true }, context)).rejects.toMatchObject({
      code: "second_factor_needed",
      status: 400,
    });
    await expect(
      resetPasswordWithLink({ token: mail.token, password: NEW_PASSWORD, removePasskeys: true, secondFactor: { recoveryCode: "aaaa-bbbb-cccc" } }, context),
    ).rejects.toMatchObject({ code: "invalid_recovery_code" });
    await expectUntouched(user.id, session.id);
    expect(await isLinkTokenUsable(mail.token, "PASSWORD_RESET")).toBe(true);

    await awayFromStepEdge();
    const signedIn = await resetPasswordWithLink(
      { token: mail.token, password: NEW_PASSWORD, removePasskeys: true, secondFactor: { totp: codeAt(key, 1) } },
      context,
    );
    // Both factors were given: the browser is signed in with no further step.
    expect((await redeemSignInTicket(signedIn.ticket))?.userId).toBe(user.id);
    expect(await verifyPassword((await prisma.user.findUniqueOrThrow({ where: { id: user.id } })).password!, NEW_PASSWORD)).toMatchObject({ ok: true });
    expect(await prisma.passkey.count({ where: { userId: user.id } })).toBe(0);
    expect(await prisma.session.count({ where: { id: session.id } })).toBe(0);
  });

  it("by code asks for the second factor only once the code is right, and keeps the code for the answer", async () => {
    const { user, recoveryCodes, session, mail } = await accountBeingReset();
    const wrongCode = mail.code === "000000" ? "111111" : "000000";
    await expect(resetPasswordWithCode({ email: user.email!, code: wrongCode, password: NEW_PASSWORD }, context)).rejects.toMatchObject({
      code: "invalid_code",
    });
    await expect(resetPasswordWithCode({ email: user.email!, code: mail.code, password: NEW_PASSWORD }, context)).rejects.toMatchObject({
      code: "second_factor_needed",
      details: { field: "secondFactor" },
    });
    await expectUntouched(user.id, session.id);
    const signedIn = await resetPasswordWithCode(
      { email: user.email!, code: mail.code, password: NEW_PASSWORD, secondFactor: { recoveryCode: recoveryCodes[0]! } },
      context,
    );
    expect((await redeemSignInTicket(signedIn.ticket))?.userId).toBe(user.id);
    expect(await verifyPassword((await prisma.user.findUniqueOrThrow({ where: { id: user.id } })).password!, NEW_PASSWORD)).toMatchObject({ ok: true });
  });
});

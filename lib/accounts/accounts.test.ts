import { beforeEach, describe, expect, it } from "vitest";
import bcrypt from "bcrypt";
import { prisma } from "../db";
import { settleAfterAnswer } from "../after-answer";
import { createTestUser, resetDatabase } from "../../test/db";
import { AppError, RateLimitedError } from "../errors";
import { hashPassword } from "../auth/password";
import { redeemSignInTicket } from "../auth/sessions";
import { checkApiSignInCode, requestCodeSignIn, requestSignInCode, signInWithCode } from "./code-sign-in";
import { verifyPasswordSignIn } from "./password-sign-in";
import { signInWithPassword } from "./password-sign-in";
import { confirmEmailLink, confirmSignUpCode, previewEmailLink, signUp } from "./sign-up";
import { requestPasswordReset, resetPasswordWithCode, resetPasswordWithLink } from "./password-reset";
import { saveProfile, isUsernameAvailable } from "./profile";
import { onboardingSchema, profileSchema } from "../validation/profile";
import { isLinkTokenUsable } from "../verification/links";
import type { Contact } from "./contact";
import { startBrowserSignIn } from "./browser-sign-in";
import { changeRole } from "../admin/actions";

process.env.ADMIN_EMAILS = "boss@example.test";

let ipCounter = 0;
/** A fresh IP per call, so per-IP limits do not mix into the rule under test. */
/** The link's button pressed in a browser where nobody is signed in. */
const clickedElsewhere = { clicked: true, signedInUserId: null };
const context = () => ({ ip: `10.0.${Math.floor(ipCounter / 250)}.${ipCounter++ % 250}`, userAgent: "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0" });
const email = (address: string): Contact => ({ channel: "EMAIL", destination: address });
/** The device cookie of the browser that signs up (and confirms, unless a test says otherwise). */
const SIGN_UP_BROWSER = "device-cookie-of-the-browser-that-signed-up";

/** A client's whole code sign-in: the check, then the account work in a transaction of its own. */
async function verifySignInCode(input: { email: string; code: string }, requestContext: ReturnType<typeof context>) {
  return prisma.$transaction(await checkApiSignInCode(input, requestContext));
}

async function lastMessageTo(to: string) {
  await settleAfterAnswer(); // the message may follow the answer
  return prisma.outboxMessage.findFirstOrThrow({ where: { to }, orderBy: { createdAt: "desc" } });
}

async function lastCodeTo(to: string): Promise<string> {
  const message = await lastMessageTo(to);
  const code = /(\d{6})/.exec(message.subject ?? message.text)?.[1];
  if (!code) throw new Error(`no code in the last message to ${to}`);
  return code;
}

async function lastLinkTo(to: string, path: string): Promise<string> {
  const message = await lastMessageTo(to);
  const token = new RegExp(`${path}/([\\w-]+)`).exec(message.text)?.[1];
  if (!token) throw new Error(`no ${path} link in the last message to ${to}`);
  return token;
}

/** The rows a request wrote, by table, to compare the work done for known and unknown accounts. */
async function rowCounts() {
  await settleAfterAnswer();
  return {
    outbox: await prisma.outboxMessage.count(),
    hits: await prisma.rateLimitHit.count({ where: { key: { startsWith: "otp:" } } }),
  };
}

async function errorOf(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

beforeEach(resetDatabase);

describe("sign-up", () => {
  it("mails one code and one 24-hour link; the code verifies the address and signs the browser in", async () => {
    await signUp({ browserKey: SIGN_UP_BROWSER, contact: email("new@example.test"), password: "plum-kettle-orbit-94" }, context());
    const message = await lastMessageTo("new@example.test");
    expect(message.subject).toMatch(/^\d{6} is your Latchkey code$/);
    expect(message.text).toMatch(/\/verify-email\/[\w-]{43}/);
    const link = await prisma.linkToken.findFirstOrThrow();
    expect(link.purpose).toBe("EMAIL_VERIFICATION");
    expect(link.expiresAt.getTime() - link.createdAt.getTime()).toBeGreaterThan(24 * 3600_000 - 5000);
    expect(message.text).not.toContain(link.tokenHash);

    const signIn = await confirmSignUpCode(
      { contact: email("new@example.test"), code: await lastCodeTo("new@example.test"), browserKey: SIGN_UP_BROWSER },
      context(),
    );
    expect(signIn.destination).toBe("/onboarding");
    const user = await prisma.user.findUniqueOrThrow({ where: { email: "new@example.test" } });
    expect(user).toMatchObject({ emailVerified: true, isProfileComplete: false });
    expect(user.password).toMatch(/^\$argon2id\$/);
    const session = await redeemSignInTicket(signIn.ticket);
    expect(session?.userId).toBe(user.id);
    expect(session?.device).toMatchObject({ kind: "BROWSER", name: "Firefox on Ubuntu" });
    // The link of the same mail no longer works.
    await expect(confirmEmailLink({ token: await lastLinkTo("new@example.test", "/verify-email"), ...clickedElsewhere }, context())).rejects.toMatchObject({
      code: "invalid_link",
    });
  });

  it("the link verifies the address once", async () => {
    await signUp({ browserKey: SIGN_UP_BROWSER, contact: email("link@example.test") }, context());
    const token = await lastLinkTo("link@example.test", "/verify-email");
    const signIn = await confirmEmailLink({ token, ...clickedElsewhere }, context());
    expect(signIn.isNewDevice).toBe(true);
    expect((await prisma.user.findFirstOrThrow()).emailVerified).toBe(true);
    expect((await errorOf(confirmEmailLink({ token, ...clickedElsewhere }, context()))).code).toBe("invalid_link");
  });

  it("by phone: an SMS code, phone verified", async () => {
    await signUp({ browserKey: SIGN_UP_BROWSER, contact: { channel: "SMS", destination: "+14155552671" } }, context());
    const sms = await lastMessageTo("+14155552671");
    expect(sms.channel).toBe("SMS");
    const code = /(\d{6})/.exec(sms.text)![1]!;
    await confirmSignUpCode({ contact: { channel: "SMS", destination: "+14155552671" }, code }, context());
    expect(await prisma.user.findFirstOrThrow()).toMatchObject({ phoneNumber: "+14155552671", phoneVerified: true, email: null });
  });

  it("refuses a common password before anything is written", async () => {
    const error = await errorOf(signUp({ browserKey: SIGN_UP_BROWSER, contact: email("weak@example.test"), password: "iloveyou" }, context()));
    expect(error.details).toEqual({ field: "password" });
    expect(await prisma.user.count()).toBe(0);
    expect(await prisma.outboxMessage.count()).toBe(0);
  });

  it("answers the same for an existing account, which gets a 'sign in instead' mail and a withheld code", async () => {
    await createTestUser({ email: "taken@example.test" });
    const before = await rowCounts();
    const [takenAsker, freeAsker] = [context(), context()];
    await signUp({ browserKey: SIGN_UP_BROWSER, contact: email("taken@example.test"), password: "plum-kettle-orbit-94" }, takenAsker);
    const afterExisting = await rowCounts();
    await signUp({ browserKey: SIGN_UP_BROWSER, contact: email("free@example.test"), password: "plum-kettle-orbit-94" }, freeAsker);
    const afterNew = await rowCounts();
    expect(afterExisting.outbox - before.outbox).toBe(afterNew.outbox - afterExisting.outbox);
    expect(afterExisting.hits - before.hits).toBe(afterNew.hits - afterExisting.hits);
    const notice = await lastMessageTo("taken@example.test");
    expect(notice.subject).toBe("Someone tried to sign up with your address");
    expect(notice.text).not.toMatch(/\d{6}/);
    expect(await prisma.oneTimeCode.count({ where: { destination: "taken@example.test" } })).toBe(1);
    // The same cooldown applies to both (it is the asker's own, ADR 0080).
    await expect(signUp({ browserKey: SIGN_UP_BROWSER, contact: email("taken@example.test") }, takenAsker)).rejects.toBeInstanceOf(RateLimitedError);
    await expect(signUp({ browserKey: SIGN_UP_BROWSER, contact: email("free@example.test") }, freeAsker)).rejects.toBeInstanceOf(RateLimitedError);
  });

  it("an unconfirmed sign-up's password does not survive the owner's code sign-in (pre-hijack)", async () => {
    await signUp({ browserKey: SIGN_UP_BROWSER, contact: email("victim@example.test"), password: "attacker-chose-this-1" }, context());
    await expect(verifyPasswordSignIn({ email: "victim@example.test", password: "attacker-chose-this-1" }, context())).rejects.toMatchObject({
      code: "contact_not_verified",
    });
    await requestSignInCode({ email: "victim@example.test" }, context());
    await verifySignInCode({ email: "victim@example.test", code: await lastCodeTo("victim@example.test") }, context());
    const user = await prisma.user.findFirstOrThrow();
    expect(user).toMatchObject({ emailVerified: true, password: null });
  });
});

describe("the sign-up link signs in only who started it, unless clicked (login CSRF, ADR 0075)", () => {
  it("confirms on load only in the browser that signed up and is not signed in as someone else; elsewhere it needs a click", async () => {
    await signUp({ browserKey: "attacker-browser", contact: email("attacker@example.test") }, context());
    const token = await lastLinkTo("attacker@example.test", "/verify-email");
    const victim = await createTestUser();

    expect(await previewEmailLink(token, { browserKey: "victim-browser", signedInUserId: victim.id })).toEqual({
      usable: true,
      email: "attacker@example.test",
      confirmOnLoad: false,
      replacesSession: true,
    });
    expect(await previewEmailLink(token, { browserKey: "victim-browser", signedInUserId: null })).toMatchObject({ confirmOnLoad: false, replacesSession: false });
    expect(await previewEmailLink(token, { browserKey: "attacker-browser", signedInUserId: victim.id })).toMatchObject({ confirmOnLoad: false });
    expect(await previewEmailLink(token, { browserKey: "attacker-browser", signedInUserId: null })).toMatchObject({ confirmOnLoad: true });

    // The victim's page confirming by itself is refused, and the link stays usable.
    const refused = await errorOf(confirmEmailLink({ token, browserKey: "victim-browser", clicked: false, signedInUserId: victim.id }, context()));
    expect(refused).toMatchObject({ code: "click_required", status: 409 });
    expect(await prisma.user.findFirstOrThrow({ where: { email: "attacker@example.test" } })).toMatchObject({ emailVerified: false });
    expect(await prisma.session.count()).toBe(0);

    // Where it started, it confirms on load.
    const signIn = await confirmEmailLink({ token, browserKey: "attacker-browser", clicked: false, signedInUserId: null }, context());
    expect((await redeemSignInTicket(signIn.ticket))?.user.email).toBe("attacker@example.test");
    expect(await previewEmailLink(token, { browserKey: "attacker-browser", signedInUserId: null })).toEqual({ usable: false });
  });
});

describe("a password chosen at sign-up (pre-hijack, ADR 0016)", () => {
  const PLANTED = "attacker-chose-this-1";

  it("is dropped when another browser confirms by the link, and the next page says so", async () => {
    await signUp({ browserKey: "attacker-browser", contact: email("victim@example.test"), password: PLANTED }, context());
    const token = await lastLinkTo("victim@example.test", "/verify-email");
    const signIn = await confirmEmailLink({ token, browserKey: "owner-browser", ...clickedElsewhere }, context());
    expect(signIn.destination).toBe("/onboarding?notice=sign-up-password-dropped");
    expect(await prisma.user.findFirstOrThrow()).toMatchObject({ emailVerified: true, password: null, signUpBrowserHash: null });
    await expect(verifyPasswordSignIn({ email: "victim@example.test", password: PLANTED }, context())).rejects.toMatchObject({
      code: "invalid_credentials",
    });
  });

  it("is dropped when a browser without a device cookie confirms by code", async () => {
    await signUp({ browserKey: "attacker-browser", contact: { channel: "SMS", destination: "+14155552671" }, password: PLANTED }, context());
    const code = /(\d{6})/.exec((await lastMessageTo("+14155552671")).text)![1]!;
    await confirmSignUpCode({ contact: { channel: "SMS", destination: "+14155552671" }, code }, context());
    expect((await prisma.user.findFirstOrThrow()).password).toBeNull();
  });

  it("is kept when the browser that chose it confirms, with no notice", async () => {
    await signUp({ browserKey: SIGN_UP_BROWSER, contact: email("own@example.test"), password: PLANTED }, context());
    const token = await lastLinkTo("own@example.test", "/verify-email");
    const signIn = await confirmEmailLink({ token, browserKey: SIGN_UP_BROWSER, clicked: false, signedInUserId: null }, context());
    expect(signIn.destination).toBe("/onboarding");
    const user = await prisma.user.findFirstOrThrow();
    expect(await verifyPasswordSignIn({ email: "own@example.test", password: PLANTED }, context())).toEqual({ userId: user.id });
  });

  it("gives an ADMIN_EMAILS address to its owner, never to whoever planted the password", async () => {
    await signUp({ browserKey: "attacker-browser", contact: email("boss@example.test"), password: PLANTED }, context());
    const code = await lastCodeTo("boss@example.test");
    await confirmSignUpCode({ contact: email("boss@example.test"), code, browserKey: "owner-browser" }, context());
    expect(await prisma.user.findFirstOrThrow()).toMatchObject({ role: "ADMIN", password: null });
    await expect(verifyPasswordSignIn({ email: "boss@example.test", password: PLANTED }, context())).rejects.toMatchObject({
      code: "invalid_credentials",
    });
  });
});

describe("code sign-in (the API contract)", () => {
  it("an unknown address gets a code, and verifying it creates a verified account with an incomplete profile", async () => {
    await requestSignInCode({ email: "fresh@example.test" }, context());
    const { userId } = await verifySignInCode({ email: "fresh@example.test", code: await lastCodeTo("fresh@example.test") }, context());
    expect(await prisma.user.findUniqueOrThrow({ where: { id: userId } })).toMatchObject({
      email: "fresh@example.test",
      emailVerified: true,
      isProfileComplete: false,
    });
    expect(await prisma.auditEvent.count({ where: { userId, action: "user.signed_up" } })).toBe(1);
  });

  it("does the same work for known and unknown addresses", async () => {
    await createTestUser({ email: "known@example.test" });
    const before = await rowCounts();
    await requestSignInCode({ email: "known@example.test" }, context());
    const mid = await rowCounts();
    await requestSignInCode({ email: "unknown@example.test" }, context());
    const after = await rowCounts();
    expect(mid.outbox - before.outbox).toBe(after.outbox - mid.outbox);
    expect(mid.hits - before.hits).toBe(after.hits - mid.hits);
    expect(await prisma.oneTimeCode.count()).toBe(2);
  });

  it("a wrong code throws invalid_code with the reason and attempts left", async () => {
    await requestSignInCode({ email: "a@example.test" }, context());
    const code = await lastCodeTo("a@example.test");
    const error = await errorOf(verifySignInCode({ email: "a@example.test", code: code === "000000" ? "000001" : "000000" }, context()));
    expect(error).toMatchObject({ code: "invalid_code", status: 400 });
    expect(error.details).toMatchObject({ reason: "wrong", attemptsLeft: 4 });
  });

  it("a failed guess is counted even when the caller's transaction rolls back", async () => {
    await requestSignInCode({ email: "tx@example.test" }, context());
    const code = await lastCodeTo("tx@example.test");
    await prisma
      .$transaction(async (tx) => (await checkApiSignInCode({ email: "tx@example.test", code: code === "000000" ? "000001" : "000000" }, context()))(tx))
      .catch(() => undefined);
    expect((await prisma.oneTimeCode.findFirstOrThrow()).attempts).toBe(1);
  });

  it("a deactivated account gets the same answer but no usable code", async () => {
    await createTestUser({ email: "gone@example.test", isActive: false });
    await requestSignInCode({ email: "gone@example.test" }, context());
    const message = await lastMessageTo("gone@example.test");
    expect(message.subject).toBe("Your Latchkey account is deactivated");
    expect(`${message.subject} ${message.text}`).not.toMatch(/\d{6}/);
  });

  it("promotes an ADMIN_EMAILS address when it signs in", async () => {
    await requestSignInCode({ email: "boss@example.test" }, context());
    const { userId } = await verifySignInCode({ email: "boss@example.test", code: await lastCodeTo("boss@example.test") }, context());
    expect((await prisma.user.findUniqueOrThrow({ where: { id: userId } })).role).toBe("ADMIN");
    expect(await prisma.auditEvent.count({ where: { action: "admin.user_promoted", userId } })).toBe(1);
  });

  it("does not promote again an ADMIN_EMAILS address that an admin demoted (issue 22, item 11)", async () => {
    await requestSignInCode({ email: "boss@example.test" }, context());
    const { userId } = await verifySignInCode({ email: "boss@example.test", code: await lastCodeTo("boss@example.test") }, context());
    const other = await createTestUser({ role: "ADMIN" });
    await changeRole({ actor: { id: other.id, authenticatedAt: new Date() }, userId, role: "USER" });
    await prisma.user.update({ where: { id: userId }, data: { password: await hashPassword("plum-kettle-orbit-94") } });
    await verifyPasswordSignIn({ email: "boss@example.test", password: "plum-kettle-orbit-94" }, context());
    expect((await prisma.user.findUniqueOrThrow({ where: { id: userId } })).role).toBe("USER");
    expect(await prisma.auditEvent.count({ where: { action: "admin.user_promoted", userId } })).toBe(1);
  });

  it("requests by SMS work the same way", async () => {
    await requestCodeSignIn({ channel: "SMS", destination: "+14155552671" }, context());
    const code = /(\d{6})/.exec((await lastMessageTo("+14155552671")).text)![1]!;
    const signIn = await signInWithCode({ contact: { channel: "SMS", destination: "+14155552671" }, code }, context());
    expect(signIn.destination).toBe("/onboarding");
  });
});

describe("password sign-in", () => {
  it("accepts the right password and refuses a wrong one or an unknown account alike", async () => {
    await createTestUser({ email: "pw@example.test", password: await hashPassword("plum-kettle-orbit-94") });
    expect((await verifyPasswordSignIn({ email: "pw@example.test", password: "plum-kettle-orbit-94" }, context())).userId).toBeTruthy();
    const wrong = await errorOf(verifyPasswordSignIn({ email: "pw@example.test", password: "nope-nope-nope" }, context()));
    const unknown = await errorOf(verifyPasswordSignIn({ email: "nobody@example.test", password: "nope-nope-nope" }, context()));
    expect([wrong.code, wrong.status, wrong.message]).toEqual([unknown.code, unknown.status, unknown.message]);
    expect(wrong).toMatchObject({ code: "invalid_credentials", status: 401 });
  });

  it("stops a guesser after 10 failures without ever refusing the owner's right password (ADR 0076)", async () => {
    await createTestUser({ email: "pw@example.test", password: await hashPassword("plum-kettle-orbit-94") });
    const attempt = (password: string, ip: string) =>
      verifyPasswordSignIn({ email: "pw@example.test", password }, { ip, userAgent: "test" }).then(
        () => "signed in",
        (error: unknown) => (error instanceof RateLimitedError ? "limited" : (error as AppError).code),
      );
    for (let guess = 0; guess < 10; guess += 1) expect(await attempt(`wrong-guess-${guess}`, "2001:db8:0:1::1")).toBe("invalid_credentials");
    // The guesser's whole /64 is stopped, with the right password too; the owner is not.
    expect(await attempt("plum-kettle-orbit-94", "2001:db8:0:1::2")).toBe("limited");
    expect(await attempt("plum-kettle-orbit-94", "203.0.113.5")).toBe("signed in");
    expect(await attempt("plum-kettle-orbit-94", "203.0.113.5")).toBe("signed in");

    // Past 100 failures from everyone, a requester that failed there waits; one that did not still gets its try.
    await prisma.$executeRaw`INSERT INTO rate_limit_hits (key, created_at) SELECT 'password-fail:pw@example.test', clock_timestamp() FROM generate_series(1, 90)`;
    expect(await attempt("wrong-once", "198.51.100.9")).toBe("invalid_credentials");
    expect(await attempt("plum-kettle-orbit-94", "198.51.100.9")).toBe("limited");
    expect(await attempt("plum-kettle-orbit-94", "203.0.113.5")).toBe("signed in");
    expect(await attempt("wrong-guess", "198.51.100.10")).toBe("invalid_credentials");
    expect(await attempt("another-guess", "198.51.100.10")).toBe("limited");
  });

  it("upgrades a seed-format bcrypt hash to argon2id on sign-in", async () => {
    const user = await createTestUser({ email: "old@example.test", password: await bcrypt.hash("legacy-password-1", 4) });
    await verifyPasswordSignIn({ email: "old@example.test", password: "legacy-password-1" }, context());
    const upgraded = await prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(upgraded.password).toMatch(/^\$argon2id\$/);
    expect((await verifyPasswordSignIn({ email: "old@example.test", password: "legacy-password-1" }, context())).userId).toBe(user.id);
  });

  // Counted per requester since ADR 0076 (strangers' guesses must not refuse the owner); concurrent
  // guesses reserve their failure first, so exactly 10 of 11 are checked.
  it("limits guesses per requester and account, known or not, exactly under concurrency", async () => {
    const requester = context();
    const guesses = Array.from({ length: 11 }, () =>
      verifyPasswordSignIn({ email: "target@example.test", password: "guess-guess-guess" }, requester).catch((error: unknown) => error),
    );
    const results = await Promise.all(guesses);
    expect(results.filter((result) => result instanceof RateLimitedError)).toHaveLength(1);
  });
});

describe("deactivated users cannot sign in by any route", () => {
  it("password, code, browser sign-in and reset all refuse", async () => {
    const user = await createTestUser({ email: "off@example.test", password: await hashPassword("plum-kettle-orbit-94") });
    await requestSignInCode({ email: "off@example.test" }, context());
    await prisma.user.update({ where: { id: user.id }, data: { isActive: false } });

    expect((await errorOf(signInWithPassword({ contact: email("off@example.test"), password: "plum-kettle-orbit-94" }, context()))).code).toBe(
      "account_deactivated",
    );
    const code = await lastCodeTo("off@example.test");
    expect((await errorOf(verifySignInCode({ email: "off@example.test", code }, context()))).code).toBe("account_deactivated");
    const browser = prisma.$transaction((tx) => startBrowserSignIn(tx, { userId: user.id, context: context() }));
    expect((await errorOf(browser)).code).toBe("account_deactivated");
    await requestPasswordReset({ email: "off@example.test" }, context());
    expect((await lastMessageTo("off@example.test")).subject).toBe("Your Latchkey account is deactivated");
    expect(await prisma.linkToken.count()).toBe(0);
    expect(await prisma.session.count()).toBe(0);
  });
});

describe("password reset", () => {
  it("by code: sets the password, ends every session, mails a notice and signs in", async () => {
    const user = await createTestUser({ email: "r@example.test", password: await hashPassword("old-password-1234") });
    await signInWithPassword({ contact: email("r@example.test"), password: "old-password-1234" }, context());
    expect(await prisma.session.count()).toBe(1);

    await requestPasswordReset({ email: "r@example.test" }, context());
    const code = await lastCodeTo("r@example.test");
    const refused = await errorOf(resetPasswordWithCode({ email: "r@example.test", code, password: "password123" }, context()));
    expect(refused.code).toBe("common_password");
    expect((await prisma.oneTimeCode.findFirstOrThrow({ where: { purpose: "PASSWORD_RESET" } })).usedAt).toBeNull();

    const signIn = await resetPasswordWithCode({ email: "r@example.test", code, password: "violet-harbor-lantern-7" }, context());
    const sessions = await prisma.session.findMany();
    expect(sessions).toHaveLength(1);
    expect((await redeemSignInTicket(signIn.ticket))?.id).toBe(sessions[0]!.id);
    expect(await prisma.outboxMessage.count({ where: { to: "r@example.test", subject: "Your Latchkey password was reset" } })).toBe(1);
    expect(await prisma.auditEvent.count({ where: { userId: user.id, action: "user.password_reset" } })).toBe(1);
    await verifyPasswordSignIn({ email: "r@example.test", password: "violet-harbor-lantern-7" }, context());
    // The link from the same mail stopped working.
    expect(await prisma.linkToken.count({ where: { usedAt: null } })).toBe(0);
  });

  it("by link, valid one hour, once", async () => {
    await createTestUser({ email: "l@example.test" });
    await requestPasswordReset({ email: "l@example.test" }, context());
    await settleAfterAnswer(); // the link is made after the answer
    const link = await prisma.linkToken.findFirstOrThrow();
    expect(link.expiresAt.getTime() - link.createdAt.getTime()).toBeLessThanOrEqual(3600_000 + 1000);
    const token = await lastLinkTo("l@example.test", "/reset");
    // The page checks the link when it opens, without using it up.
    expect(await isLinkTokenUsable(token, "PASSWORD_RESET")).toBe(true);
    expect(await isLinkTokenUsable(token, "PASSWORD_RESET")).toBe(true);
    expect(await isLinkTokenUsable(token, "EMAIL_VERIFICATION")).toBe(false);
    expect(await isLinkTokenUsable(`${token}x`, "PASSWORD_RESET")).toBe(false);
    await resetPasswordWithLink({ token, password: "violet-harbor-lantern-7" }, context());
    expect(await isLinkTokenUsable(token, "PASSWORD_RESET")).toBe(false);
    expect((await errorOf(resetPasswordWithLink({ token, password: "violet-harbor-lantern-8" }, context()))).code).toBe("invalid_link");
  });

  it("works only while the account still has the address the reset was mailed to (ADR 0017)", async () => {
    const user = await createTestUser({ email: "moved@example.test", password: await hashPassword("old-password-1234") });
    await requestPasswordReset({ email: "moved@example.test" }, context());
    await settleAfterAnswer(); // the mail follows the answer
    const code = await lastCodeTo("moved@example.test");
    const token = await lastLinkTo("moved@example.test", "/reset");
    await prisma.user.update({ where: { id: user.id }, data: { email: "elsewhere@example.test" } });
    const viaLink = await errorOf(resetPasswordWithLink({ token, password: "violet-harbor-lantern-7" }, context()));
    expect(viaLink.code).toBe("invalid_link");
    const viaCode = await errorOf(resetPasswordWithCode({ email: "moved@example.test", code, password: "violet-harbor-lantern-7" }, context()));
    expect(viaCode.code).toBe("invalid_link");
    expect((await prisma.user.findUniqueOrThrow({ where: { id: user.id } })).password).toBe(user.password);
  });

  it("answers the same for unknown addresses, which get a 'no account' mail and a withheld code", async () => {
    await requestPasswordReset({ email: "ghost@example.test" }, context());
    expect((await lastMessageTo("ghost@example.test")).subject).toBe("Password reset requested");
    expect(await prisma.oneTimeCode.count()).toBe(1);
  });
});

describe("browser sign-in and devices", () => {
  it("reuses the browser's device, and mails a notice for a new device of an account that signed in before", async () => {
    await createTestUser({ email: "d@example.test", password: await hashPassword("plum-kettle-orbit-94") });
    const first = await signInWithPassword({ contact: email("d@example.test"), password: "plum-kettle-orbit-94" }, context());
    expect(first.isNewDevice).toBe(true);
    expect(await prisma.outboxMessage.count({ where: { subject: "New sign-in to your Latchkey account" } })).toBe(0);
    const again = await signInWithPassword({ contact: email("d@example.test"), password: "plum-kettle-orbit-94", browserKey: first.browserKey }, context());
    expect(again).toMatchObject({ isNewDevice: false, deviceId: first.deviceId });
    const elsewhere = await signInWithPassword({ contact: email("d@example.test"), password: "plum-kettle-orbit-94" }, context());
    expect(elsewhere.isNewDevice).toBe(true);
    expect(await prisma.outboxMessage.count({ where: { subject: "New sign-in to your Latchkey account" } })).toBe(1);
    expect(await prisma.auditEvent.count({ where: { action: "user.signed_in" } })).toBe(3);
    expect(await prisma.auditEvent.count({ where: { action: "device.created" } })).toBe(2);
    expect(await prisma.session.count()).toBe(3);
  });
});

describe("profile completion", () => {
  const profile = { name: "Ada", dob: new Date("1990-12-10") };

  it("usernames are unique case-insensitively and the check says so", async () => {
    await createTestUser({ username: "ada_l" });
    const user = await createTestUser({ username: null, isProfileComplete: false });
    expect(await isUsernameAvailable("ADA_L")).toBe(false);
    expect(await isUsernameAvailable("ada_m")).toBe(true);
    expect((await errorOf(saveProfile(user.id, { ...profile, username: "ada_l" }, context()))).code).toBe("username_taken");
    await saveProfile(user.id, { ...profile, username: "ada_m" }, context());
    expect(await prisma.user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({ isProfileComplete: true, username: "ada_m" });
    expect(await isUsernameAvailable("ada_m", user.id)).toBe(true);
  });

  it("the gate saves only its three fields; settings later add and clear the optional ones", async () => {
    const user = await createTestUser({ username: null, isProfileComplete: false, fullName: null, country: null, state: null, zip: null });
    await saveProfile(user.id, onboardingSchema.parse({ name: "Ada", username: "ada_g", dob: "1990-12-10" }), context());
    expect(await prisma.user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({ isProfileComplete: true, fullName: null, country: null });
    const full = { name: "Ada", username: "ada_g", dob: "1990-12-10", fullName: "Ada Lovelace", country: "us", state: "ny", zip: "10001" };
    await saveProfile(user.id, profileSchema.parse(full), context());
    expect(await prisma.user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({ fullName: "Ada Lovelace", country: "US", state: "NY", zip: "10001" });
    await saveProfile(user.id, profileSchema.parse({ ...full, fullName: " ", country: "", state: "", zip: "" }), context());
    expect(await prisma.user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({ fullName: null, country: null, state: null, zip: null });
    const actions = await prisma.auditEvent.findMany({ where: { userId: user.id }, orderBy: { createdAt: "asc" }, select: { action: true } });
    expect(actions.map((event) => event.action)).toEqual(["user.profile_completed", "user.profile_updated", "user.profile_updated"]);
  });
});

import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { createTestUser, resetDatabase } from "../../test/db";
import { startApiServer, type ApiServer } from "../../test/http-server";
import { recordWork, type RecordedWork } from "../../test/work-recorder";
import { prisma } from "../db";
import { hashPassword, verifyAgainstDummy } from "../auth/password";
import { requestCodeSignIn, signInWithCode } from "./code-sign-in";
import { signInWithPassword } from "./password-sign-in";
import { requestPasswordReset } from "./password-reset";
import { resendSignUpCode, signUp } from "./sign-up";
import type { Contact } from "./contact";

// Issue 16: every public path that takes an address sends PostgreSQL the same statements, in the
// same order, and hashes or checks a password as often, whether or not the address has an
// account, so neither the answer nor its time tells them apart. Each test records both sides
// (test/work-recorder.ts) and compares them whole. The browser paths are the lib functions their
// server actions call (the action only adds the same per-IP limit on both sides); the API paths go
// through the route handlers over HTTP.

const PASSWORD = "plum-kettle-orbit-94";
const WRONG_PASSWORD = "not-the-password-17";

let ipCounter = 0;
const context = () => ({ ip: `10.1.${Math.floor(ipCounter / 250)}.${ipCounter++ % 250}`, userAgent: "equal-work test" });
const fresh = (label: string) => `${label}-${randomBytes(4).toString("hex")}@example.test`;
const email = (destination: string): Contact => ({ channel: "EMAIL", destination });

/** An address with a confirmed, active account that has a password. */
async function knownAddress(): Promise<string> {
  const user = await createTestUser({ email: fresh("known"), password: await hashPassword(PASSWORD) });
  return user.email!;
}

/** Records both sides and expects the same statements, password work, deferred tasks and answer. */
async function expectSameWork(known: () => Promise<unknown>, unknown: () => Promise<unknown>, passwordOperations: string[]) {
  const knownWork: RecordedWork = await recordWork(known);
  const unknownWork: RecordedWork = await recordWork(unknown);
  expect(unknownWork.statements).toEqual(knownWork.statements);
  expect(unknownWork.outcome).toBe(knownWork.outcome);
  expect(unknownWork.deferredTasks).toEqual(knownWork.deferredTasks);
  expect(knownWork.passwordWork).toEqual(passwordOperations);
  expect(unknownWork.passwordWork).toEqual(passwordOperations);
  // The recording saw the request's work, not nothing.
  expect(knownWork.statements.length).toBeGreaterThan(1);
  return knownWork;
}

/** A 6-digit code that is not the one last sent to `address`. */
async function wrongCodeFor(address: string): Promise<string> {
  const message = await prisma.outboxMessage.findFirstOrThrow({ where: { to: address }, orderBy: { createdAt: "desc" } });
  const sent = Number(/(\d{6})/.exec(message.text)![1]);
  return String((sent + 1) % 1_000_000).padStart(6, "0");
}

/** Moves every rate-limit hit two minutes into the past: the resend cooldown has passed. */
const afterResendCooldown = () => prisma.$executeRaw`UPDATE rate_limit_hits SET created_at = created_at - interval '2 minutes'`;

let server: ApiServer;
beforeAll(async () => {
  server = await startApiServer();
  await verifyAgainstDummy("warm-up"); // the dummy hash is made once per process, before any request
});
afterAll(() => server.close());
beforeEach(resetDatabase);

function post(path: string, body: unknown) {
  return async () => {
    const response = await fetch(`${server.url}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    const text = await response.text();
    if (!response.ok) throw Object.assign(new Error(text), { code: `${response.status} ${text}` });
  };
}

describe("the messaging-client API", () => {
  it("POST /api/auth/code", async () => {
    const [known, unknown] = [await knownAddress(), fresh("unknown")];
    await expectSameWork(post("/api/auth/code", { email: known }), post("/api/auth/code", { email: unknown }), []);
  });

  it("POST /api/auth/token with a wrong code", async () => {
    const [known, unknown] = [await knownAddress(), fresh("unknown")];
    await post("/api/auth/code", { email: known })();
    await post("/api/auth/code", { email: unknown })();
    const exchange = async (address: string) => post("/api/auth/token", { email: address, code: await wrongCodeFor(address), deviceName: "Phone" });
    const work = await expectSameWork(await exchange(known), await exchange(unknown), []);
    expect(work.outcome).toMatch(/^400 /);
  });

  it("POST /api/auth/code and POST /api/auth/token with a wrong code, by phone number", async () => {
    await createTestUser({ phoneNumber: "+14155550111", phoneVerified: true });
    const [known, unknown] = ["+14155550111", "+14155550112"];
    await expectSameWork(post("/api/auth/code", { phoneNumber: known }), post("/api/auth/code", { phoneNumber: unknown }), []);
    const exchange = async (phone: string) => post("/api/auth/token", { phoneNumber: phone, code: await wrongCodeFor(phone), deviceName: "Phone" });
    const work = await expectSameWork(await exchange(known), await exchange(unknown), []);
    expect(work.outcome).toMatch(/^400 /);
  });

  it("POST /api/auth/token with a wrong password, against an account with a password and one without", async () => {
    const [known, unknown] = [await knownAddress(), fresh("unknown")];
    const withoutPassword = (await createTestUser({ email: fresh("no-password") })).email!;
    const exchange = (address: string) => post("/api/auth/token", { email: address, password: WRONG_PASSWORD, deviceName: "Phone" });
    const work = await expectSameWork(exchange(known), exchange(unknown), ["verify"]);
    expect(work.outcome).toMatch(/^401 /);
    await expectSameWork(exchange(withoutPassword), exchange(fresh("unknown")), ["verify"]);
  });
});

describe("the browser paths", () => {
  it("sign-up with a password: a confirmed account, an unconfirmed sign-up and a new address", async () => {
    const [known, unknown] = [await knownAddress(), fresh("unknown")];
    const unconfirmed = (await createTestUser({ email: fresh("unconfirmed"), emailVerified: false })).email!;
    const signUpAt = (address: string) => () => signUp({ browserKey: "test-browser", contact: email(address), password: PASSWORD }, context());
    await expectSameWork(signUpAt(known), signUpAt(unknown), ["hash"]);
    await expectSameWork(signUpAt(unconfirmed), signUpAt(fresh("unknown")), ["hash"]);
  });

  it("sign-up by phone", async () => {
    await createTestUser({ phoneNumber: "+12125550181", phoneVerified: true });
    const signUpAt = (phone: string) => () => signUp({ browserKey: "test-browser", contact: { channel: "SMS", destination: phone } }, context());
    await expectSameWork(signUpAt("+12125550181"), signUpAt("+12125550182"), []);
  });

  it("code sign-in request (and its resend): an active account, a deactivated one and a new address", async () => {
    const [known, unknown] = [await knownAddress(), fresh("unknown")];
    const deactivated = (await createTestUser({ email: fresh("deactivated"), isActive: false })).email!;
    const requestAt = (address: string) => () => requestCodeSignIn(email(address), context());
    await expectSameWork(requestAt(known), requestAt(unknown), []);
    await expectSameWork(requestAt(deactivated), requestAt(fresh("unknown")), []);
    await afterResendCooldown();
    await expectSameWork(requestAt(known), requestAt(unknown), []);
  });

  it("code sign-in with a wrong code", async () => {
    const [known, unknown] = [await knownAddress(), fresh("unknown")];
    await requestCodeSignIn(email(known), context());
    await requestCodeSignIn(email(unknown), context());
    const guess = async (address: string) => {
      const code = await wrongCodeFor(address);
      return () => signInWithCode({ contact: email(address), code }, context());
    };
    const work = await expectSameWork(await guess(known), await guess(unknown), []);
    expect(work.outcome).toBe("invalid_code");
  });

  it("password sign-in with a wrong password", async () => {
    const [known, unknown] = [await knownAddress(), fresh("unknown")];
    const signInAt = (address: string) => () => signInWithPassword({ contact: email(address), password: WRONG_PASSWORD }, context());
    const work = await expectSameWork(signInAt(known), signInAt(unknown), ["verify"]);
    expect(work.outcome).toBe("invalid_credentials");
    expect(work.deferredTasks).toEqual(["failed sign-in audit"]);
  });

  it("password reset request: an active account, a deactivated one and a new address", async () => {
    const [known, unknown] = [await knownAddress(), fresh("unknown")];
    const deactivated = (await createTestUser({ email: fresh("deactivated"), isActive: false })).email!;
    const resetAt = (address: string) => () => requestPasswordReset({ email: address }, context());
    await expectSameWork(resetAt(known), resetAt(unknown), []);
    await expectSameWork(resetAt(deactivated), resetAt(fresh("unknown")), []);
  });

  it("resend of a sign-up code", async () => {
    const [known, unknown] = [await knownAddress(), fresh("unknown")];
    await signUp({ browserKey: "test-browser", contact: email(known) }, context());
    await signUp({ browserKey: "test-browser", contact: email(unknown) }, context());
    await afterResendCooldown();
    const resendTo = (address: string) => () => resendSignUpCode(email(address), context());
    await expectSameWork(resendTo(known), resendTo(unknown), []);
  });
});

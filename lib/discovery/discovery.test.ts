import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { createTestUser, resetDatabase } from "../../test/db";
import { signedInClient } from "../../test/api-fixtures";
import { recordWork } from "../../test/work-recorder";

// Finding people over real HTTP (issue 13): by username and by phone number, the budgets, and
// that the answer and the SQL work are the same for an unknown person and one who opted out.

const { startApiServer } = await import("../../test/http-server");
const { prisma } = await import("../db");
const { findUserIdByUsername, findUsersByPhoneNumbers } = await import("./lookup");
const { getAdminMetrics } = await import("../admin/metrics");

const server = await startApiServer();
afterAll(() => server.close());
beforeEach(resetDatabase);

type Answer = { status: number; headers: Headers; body: unknown };

async function call(token: string, path: string, body?: unknown): Promise<Answer> {
  const response = await fetch(`${server.url}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, body: await response.json() };
}

const comparable = (answer: Answer) => ({ status: answer.status, body: answer.body });
const counters = async () =>
  Object.fromEntries((await prisma.dailyMetric.findMany()).map((metric) => [metric.name, metric.count]));

describe("GET /api/users/by-username/{username}", () => {
  it("finds a person whatever the case, and answers 404 alike for an unknown username and one that opted out", async () => {
    const caller = await signedInClient(server.url);
    const ada = await createTestUser({ username: "ada_l" });
    await createTestUser({ username: "hidden_one", discoverableByUsername: false });

    expect(comparable(await call(caller.token, "/api/users/by-username/Ada_L"))).toEqual({ status: 200, body: { userId: ada.id } });
    const hidden = await call(caller.token, "/api/users/by-username/hidden_one");
    const unknown = await call(caller.token, "/api/users/by-username/nobody_here");
    expect(hidden.status).toBe(404);
    expect(comparable(hidden)).toEqual(comparable(unknown));
    expect(hidden.body).toMatchObject({ error: { code: "not_found" } });
    expect((await call(caller.token, "/api/users/by-username/not%20valid!")).status).toBe(404);
    expect(await counters()).toMatchObject({ username_lookups: 3, username_matches: 1 });
  });

  it("hides deactivated people", async () => {
    const caller = await signedInClient(server.url);
    await createTestUser({ username: "gone_away", isActive: false });
    expect((await call(caller.token, "/api/users/by-username/gone_away")).status).toBe(404);
  });

  it("runs the same statements for an unknown username and one that opted out", async () => {
    await createTestUser({ username: "hidden_one", discoverableByUsername: false });
    const hidden = await recordWork(() => findUserIdByUsername("hidden_one"));
    const unknown = await recordWork(() => findUserIdByUsername("nobody_here"));
    expect(hidden).toEqual(unknown);
    expect(hidden.outcome).toBe("not_found");
  });

  it("spends a budget per account: 100, then 429 with Retry-After", async () => {
    const caller = await signedInClient(server.url);
    const answers = [];
    for (let i = 0; i < 101; i++) answers.push(await call(caller.token, `/api/users/by-username/nobody_${i}`));
    expect(answers.slice(0, 100).every((answer) => answer.status === 404)).toBe(true);
    expect(answers[100]).toMatchObject({ status: 429, body: { error: { code: "rate_limited" } } });
    expect(Number(answers[100]!.headers.get("retry-after"))).toBeGreaterThan(800);
    // A second device of the same account shares the account's budget.
    const secondDevice = await signedInClient(server.url, caller.userId);
    expect((await call(secondDevice.token, "/api/users/by-username/nobody")).status).toBe(429);
  });

  it("requires a bearer token", async () => {
    const response = await fetch(`${server.url}/api/users/by-username/ada_l`);
    expect(response.status).toBe(401);
  });
});

describe("POST /api/users/lookup", () => {
  const optedIn = "+14155552671";
  const optedOut = "+14155552672";
  const unverified = "+14155552673";
  const unknown = "+14155552674";

  async function people() {
    const found = await createTestUser({ phoneNumber: optedIn, phoneVerified: true, discoverableByPhone: true });
    await createTestUser({ phoneNumber: optedOut, phoneVerified: true });
    await createTestUser({ phoneNumber: unverified, phoneVerified: false, discoverableByPhone: true });
    return found;
  }

  it("answers only people who opted in and verified their number, in the order asked", async () => {
    const found = await people();
    const caller = await signedInClient(server.url);
    const answer = await call(caller.token, "/api/users/lookup", { phoneNumbers: [unknown, optedOut, "+1 415 555 2671", unverified] });
    expect(comparable(answer)).toEqual({ status: 200, body: { matches: [{ phoneNumber: optedIn, userId: found.id }] } });
    expect(await counters()).toMatchObject({ phone_lookups: 1, phone_numbers_looked_up: 4, phone_matches: 1 });
    expect((await getAdminMetrics()).lookups.last7d).toMatchObject({ phoneLookups: 1, phoneNumbersLookedUp: 4, phoneMatches: 1 });
  });

  it("answers an opted-out number exactly like an unknown one, with the same statements", async () => {
    await people();
    const caller = await signedInClient(server.url);
    expect(comparable(await call(caller.token, "/api/users/lookup", { phoneNumbers: [optedOut] }))).toEqual(
      comparable(await call(caller.token, "/api/users/lookup", { phoneNumbers: [unknown] })),
    );
    const allowances = [{ key: "test", limit: { burst: 10, perSeconds: 1 } }];
    const work = async (number: string) => recordWork(() => findUsersByPhoneNumbers([number], allowances));
    expect(await work(optedOut)).toEqual(await work(unknown));
  });

  it("refuses bad input with 400 and charges nothing for it", async () => {
    const caller = await signedInClient(server.url);
    const tooMany = Array.from({ length: 101 }, (_, i) => `+1415555${String(1000 + i)}`);
    for (const body of [{}, { phoneNumbers: [] }, { phoneNumbers: ["4155552671"] }, { phoneNumbers: ["+1 nope"] }, { phoneNumbers: tooMany }, { phoneNumbers: [1] }]) {
      expect(await call(caller.token, "/api/users/lookup", body)).toMatchObject({ status: 400, body: { error: { code: "invalid_request" } } });
    }
    expect(await prisma.rateLimitBucket.count()).toBe(0);
  });

  it("counts numbers, not requests: 1,000 numbers, then a 429 for a request that does not fit", async () => {
    const caller = await signedInClient(server.url);
    const batch = (start: number, size: number) => Array.from({ length: size }, (_, i) => `+1415555${String(start + i).padStart(4, "0")}`);
    for (let i = 0; i < 10; i++) expect((await call(caller.token, "/api/users/lookup", { phoneNumbers: batch(i * 100, 100) })).status).toBe(200);
    const refused = await call(caller.token, "/api/users/lookup", { phoneNumbers: batch(5000, 1) });
    expect(refused).toMatchObject({ status: 429, body: { error: { code: "rate_limited" } } });
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    // A refused request is not counted as a lookup.
    expect(await counters()).toMatchObject({ phone_lookups: 10, phone_numbers_looked_up: 1000 });
  });

  it("charges a number asked twice in one request once", async () => {
    const caller = await signedInClient(server.url);
    await call(caller.token, "/api/users/lookup", { phoneNumbers: [unknown, unknown, "+1 (415) 555-2674"] });
    expect(await counters()).toMatchObject({ phone_numbers_looked_up: 1 });
  });
});

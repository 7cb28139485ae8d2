// Two production servers on one PostgreSQL, driven together: every piece of shared state lives in
// the database, so what one instance does holds on the other (issue 11 item 2).
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSmtpCapture } from "../smtp";
import { systemFixtures } from "./fixtures";
import { sql } from "./sql";
import { startApp, startSystemDatabase, type AppInstance, type SystemDatabase } from "./stack";

let database: SystemDatabase;
let smtp: Awaited<ReturnType<typeof startSmtpCapture>>;
let instances: [AppInstance, AppInstance];
let fixtures: Awaited<ReturnType<typeof systemFixtures>>;

beforeAll(async () => {
  [database, smtp] = await Promise.all([startSystemDatabase(), startSmtpCapture()]);
  fixtures = await systemFixtures(database.url);
  // Behind a (pretend) proxy, so each test chooses the client address its requests come from.
  // One AUTH_SECRET for both, as in any deployment: a browser's cookie must open on either.
  // Cleanup every 3 s on both, so the cleanup test sees both instances run it.
  const env = {
    SMTP_URL: smtp.url,
    TRUSTED_PROXIES: "127.0.0.1",
    OUTBOX_POLL_SECONDS: "1",
    CLEANUP_INTERVAL_MINUTES: "0.05",
    AUTH_SECRET: randomBytes(32).toString("base64url"),
  };
  instances = (await Promise.all([startApp({ databaseUrl: database.url, env }), startApp({ databaseUrl: database.url, env })])) as [AppInstance, AppInstance];
});

afterAll(async () => {
  await fixtures?.close();
  await Promise.all([...(instances ?? []).map((app) => app?.stop()), smtp?.close()]);
  await database?.close();
});

const other = (index: number) => instances[index % 2]!;

function post(app: AppInstance, path: string, body: unknown, clientAddress: string) {
  return fetch(`${app.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": clientAddress },
    body: JSON.stringify(body),
  });
}

/** Runs `tasks` with at most `width` in flight at once. */
async function inParallel<T>(tasks: Array<() => Promise<T>>, width: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < tasks.length) {
        const index = next++;
        results[index] = await tasks[index]!();
      }
    }),
  );
  return results;
}

describe("two instances on one database", () => {
  it("serves 1,000 one-time keys exactly once to 2,000 concurrent claims split over both", async () => {
    // 100 users with one ready device each (keys written directly: claims do not re-verify them).
    await sql(
      database.url,
      `WITH u AS (
         INSERT INTO users (id, email, email_verified, is_profile_complete, updated_at)
         SELECT gen_random_uuid(), 'target' || i || '@example.test', true, true, now() FROM generate_series(1, 100) i RETURNING id),
       d AS (INSERT INTO devices (id, user_id, name, kind) SELECT gen_random_uuid(), id, 'target', 'CLIENT' FROM u RETURNING id),
       ik AS (INSERT INTO identity_keys (device_id, public_key, registration_id) SELECT id, decode(repeat('05', 33), 'hex'), 7 FROM d),
       sk AS (INSERT INTO signed_prekeys (id, device_id, key_id, public_key, signature, expires_at)
              SELECT gen_random_uuid(), id, 1, decode(repeat('05', 33), 'hex'), decode(repeat('ab', 64), 'hex'), now() + interval '30 days' FROM d),
       lr AS (INSERT INTO kyber_last_resort_keys (device_id, key_id, public_key, signature)
              SELECT id, 1, decode('08' || repeat('ab', 1568), 'hex'), decode(repeat('ab', 64), 'hex') FROM d)
       INSERT INTO one_time_prekeys (id, device_id, key_id, public_key)
       SELECT gen_random_uuid(), d.id, k, decode('05' || repeat(lpad(to_hex(k), 2, '0'), 32), 'hex') FROM d, generate_series(1, 10) k`,
    );
    const targets = await sql<{ id: string }>(database.url, `SELECT id FROM users WHERE email LIKE 'target%'`);
    // 20 requesting accounts with a device on each instance; claim i goes to target i % 100 from
    // account i / 100, alternating instances: each device claims 50 times and each account 100,
    // each target once per account, within every claim limit (ADR 0041).
    const requesters = await Promise.all(
      Array.from({ length: 20 }, async () => {
        const first = await fixtures.client();
        return [first, await fixtures.client(first.userId)] as const;
      }),
    );
    const claims = Array.from({ length: 2_000 }, (_, i) => {
      const target = targets[i % 100]!;
      const instance = i % 2;
      const device = requesters[Math.floor(i / 100)]![instance]!;
      return async () => {
        const response = await fetch(`${instances[instance]!.url}/api/keys/${target.id}/*`, { headers: { authorization: device.authorization } });
        const body = (await response.json()) as { devices: Array<{ deviceId: string; preKey: { keyId: number } | null }> };
        return { status: response.status, preKey: body.devices?.[0]?.preKey ? `${body.devices[0].deviceId}:${body.devices[0].preKey.keyId}` : null };
      };
    });
    expect(claims).toHaveLength(2_000);
    const results = await inParallel(claims, 40);
    expect(results.filter((result) => result.status !== 200)).toEqual([]);
    const served = results.flatMap((result) => (result.preKey ? [result.preKey] : []));
    expect(served).toHaveLength(1_000);
    expect(new Set(served).size).toBe(1_000);
    const [left] = await sql<{ count: string }>(database.url, `SELECT count(*) FROM one_time_prekeys WHERE NOT used`);
    expect(Number(left!.count)).toBe(0);
  });

  // 50 guessers at 50 addresses: each has 5 guesses at the code, strangers together 10 (ADR 80).
  it("counts exactly the 10 wrong guesses strangers may make at one code, of 50 from 50 addresses, 10 at a time alternating between both, then refuses the right code", async () => {
    const email = "guessed@example.test";
    expect((await post(instances[0], "/api/auth/code", { email }, "203.0.113.1")).status).toBe(202);
    const mail = await smtp.waitForMail(email, () => true, 30_000);
    const code = /\b(\d{6})\b/.exec(mail.text)![1]!;
    const wrong = code === "000000" ? "111111" : "000000";
    // Guesses of one address queue on a lock: 10 in flight at once keeps them inside the pool's wait.
    const statuses = await inParallel(
      Array.from({ length: 50 }, (_, index) => () =>
        post(other(index), "/api/auth/token", { email, code: wrong, deviceName: "guesser" }, `198.51.100.${index + 1}`).then((response) => response.status),
      ),
      10,
    );
    expect(statuses.filter((status) => status >= 500)).toEqual([]);
    const [row] = await sql<{ attempts: number }>(database.url, `SELECT attempts FROM one_time_codes WHERE destination = $1`, [email]);
    expect(row!.attempts).toBe(10);
    const right = await post(instances[1], "/api/auth/token", { email, code, deviceName: "owner" }, "198.51.100.200");
    expect([400, 429]).toContain(right.status);
    const [sessions] = await sql<{ count: string }>(database.url, `SELECT count(*) FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = $1`, [email]);
    expect(Number(sessions!.count)).toBe(0);
  });

  it("holds a rate limit consumed on one instance on the other", async () => {
    // The public API allows a burst of 20 per client address.
    const first = await Promise.all(
      Array.from({ length: 20 }, (_, index) => post(instances[0], "/api/auth/code", { email: `limited${index}@example.test` }, "192.0.2.50").then((r) => r.status)),
    );
    expect(first.every((status) => status === 202)).toBe(true);
    const onOther = await post(instances[1], "/api/auth/code", { email: "limited-other@example.test" }, "192.0.2.50");
    expect(onOther.status).toBe(429);
    expect(Number(onOther.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("refuses a device revoked through one instance on the next request to the other, API and browser", async () => {
    const owner = await fixtures.client();
    const revoked = await fixtures.client(owner.userId);
    const browser = await fixtures.browser(instances[0].url, owner.userId);
    const devicesOn = (app: AppInstance, authorization: string) => fetch(`${app.url}/api/devices`, { headers: { authorization } });
    const settingsOn = (app: AppInstance) => fetch(`${app.url}/settings/profile`, { headers: { cookie: browser.cookie }, redirect: "manual" });
    expect((await devicesOn(instances[1], revoked.authorization)).status).toBe(200);
    expect((await settingsOn(instances[1])).status).toBe(200);

    for (const deviceId of [revoked.deviceId, browser.deviceId]) {
      const revoke = await fetch(`${instances[0].url}/api/devices/${deviceId}`, { method: "DELETE", headers: { authorization: owner.authorization } });
      expect(revoke.status).toBe(204);
    }
    expect((await devicesOn(instances[1], revoked.authorization)).status).toBe(401);
    const signedOut = await settingsOn(instances[1]);
    expect(signedOut.status).toBeGreaterThanOrEqual(300);
    expect(signedOut.status).toBeLessThan(400);
    expect(signedOut.headers.get("location")).toContain("/sign-in");
  });

  it("runs the outbox worker on both and sends each queued message once", async () => {
    const before = smtp.messages.length;
    const recipients = Array.from({ length: 100 }, (_, index) => `queued${index}@example.test`);
    // Written as a transaction would write them, with no request to trigger delivery: the pollers do it.
    await sql(
      database.url,
      `INSERT INTO outbox_messages (id, channel, "to", subject, text) SELECT gen_random_uuid(), 'EMAIL', address, 'queued', 'hello' FROM unnest($1::text[]) AS address`,
      [recipients],
    );
    await Promise.all(recipients.map((address) => smtp.waitForMail(address, () => true, 30_000)));
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const delivered = smtp.messages.slice(before).flatMap((mail) => mail.to).filter((address) => address.startsWith("queued"));
    expect(delivered.sort()).toEqual([...recipients].sort());
  });

  it("runs the cleanup job on both, and each expired row is deleted by exactly one of them", async () => {
    type Run = { expiredLinkTokens: number; expiredSessions: number } | "skipped";
    // Each tick logs the counts it deleted, or that the other instance held the lock.
    const logged = () =>
      instances.map((app) =>
        [...app.output().matchAll(/\[cleanup\] (?:deleted (\{.*\})|skipped)/g)].map((match): Run => (match[1] ? JSON.parse(match[1]) : "skipped")),
      );
    const before = logged().map((runs) => runs.length);
    const owner = await fixtures.createTestUser();
    const rows = 400;
    // Expired link tokens and sessions (nothing else in this file makes either), and live tokens that must stay.
    await sql(
      database.url,
      `INSERT INTO link_tokens (id, purpose, token_hash, user_id, expires_at)
       SELECT gen_random_uuid(), 'PASSWORD_RESET', md5(random()::text) || i, $1,
              CASE WHEN i <= $2 THEN now() - interval '1 minute' ELSE now() + interval '1 day' END
       FROM generate_series(1, $2 * 2) i`,
      [owner.id, rows],
    );
    const [device] = await sql<{ id: string }>(database.url, `INSERT INTO devices (id, user_id, name, kind) VALUES (gen_random_uuid(), $1, 'old', 'CLIENT') RETURNING id`, [owner.id]);
    await sql(
      database.url,
      `INSERT INTO sessions (id, user_id, device_id, kind, token_hash, expires_at)
       SELECT gen_random_uuid(), $1, $2, 'CLIENT', md5(random()::text) || i, now() - interval '1 second' FROM generate_series(1, $3) i`,
      [owner.id, device!.id, rows],
    );
    // Both instances tick at least twice from here (every 3 s; one at a time holds the lock).
    const since = () => logged().map((runs, index) => runs.slice(before[index]));
    const deadline = Date.now() + 45_000;
    while (since().some((runs) => runs.length < 2) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 500));
    const runs = since();
    expect(runs.map((instanceRuns) => instanceRuns.length >= 2)).toEqual([true, true]);
    const deleted = runs.flat().filter((run) => run !== "skipped");
    const total = (field: "expiredLinkTokens" | "expiredSessions") => deleted.reduce((sum, run) => sum + run[field], 0);
    expect(total("expiredLinkTokens")).toBe(rows);
    expect(total("expiredSessions")).toBe(rows);
    const [left] = await sql<{ tokens: number; sessions: number }>(
      database.url,
      `SELECT (SELECT count(*)::int FROM link_tokens WHERE user_id = $1) AS tokens, (SELECT count(*)::int FROM sessions WHERE device_id = $2) AS sessions`,
      [owner.id, device!.id],
    );
    expect(left).toEqual({ tokens: rows, sessions: 0 });
  });
});

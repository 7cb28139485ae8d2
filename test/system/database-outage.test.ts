// PostgreSQL restarts while requests flow: the API answers 503 with Retry-After instead of 500,
// pages show a friendly error, nothing hangs, the same process serves again afterwards, and no
// half-written account, device or key upload is left (issue 11 item 3). A database that is
// unreachable at start-up gives one clear line.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findFreePort } from "../../lib/db/embedded";
import { generateClientKeys } from "../keys";
import { startSmtpCapture } from "../smtp";
import { systemFixtures } from "./fixtures";
import { sql } from "./sql";
import { startApp, startSystemDatabase, type AppInstance, type SystemDatabase } from "./stack";

let database: SystemDatabase;
let smtp: Awaited<ReturnType<typeof startSmtpCapture>>;
let app: AppInstance;
let fixtures: Awaited<ReturnType<typeof systemFixtures>>;

beforeAll(async () => {
  [database, smtp] = await Promise.all([startSystemDatabase(), startSmtpCapture()]);
  fixtures = await systemFixtures(database.url);
  app = await startApp({ databaseUrl: database.url, env: { SMTP_URL: smtp.url } });
});

afterAll(async () => {
  await fixtures?.close();
  await Promise.all([app?.stop(), smtp?.close()]);
  await database?.close();
});

type Outcome = { label: string; status: number; ms: number; retryAfter: string | null; body: string };

async function call(label: string, url: string, init: RequestInit = {}): Promise<Outcome> {
  const started = Date.now();
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(15_000) });
  const body = await response.text();
  return { label, status: response.status, ms: Date.now() - started, retryAfter: response.headers.get("retry-after"), body };
}

/** Whether one of the scripts a page loads carries app/error.tsx's message. */
async function shipsFriendlyError(html: string): Promise<boolean> {
  const scripts = new Set(html.match(/\/_next\/static\/chunks\/[\w.-]+\.js/g) ?? []);
  for (const script of scripts) {
    if ((await (await fetch(`${app.url}${script}`)).text()).includes("Latchkey is briefly unavailable")) return true;
  }
  return false;
}

const json = (body: unknown, authorization?: string): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/json", ...(authorization ? { authorization } : {}) },
  body: JSON.stringify(body),
});

describe("a PostgreSQL restart under load", () => {
  it("answers 503 with Retry-After, never 500 or a hang, serves again afterwards, and leaves nothing half-written", async () => {
    // Work that writes accounts, devices and keys, some of it landing in the outage.
    const signIns = await Promise.all(
      Array.from({ length: 6 }, async (_, index) => {
        const email = `restart${index}@example.test`;
        expect((await call("code", `${app.url}/api/auth/code`, json({ email }))).status).toBe(202);
        const mail = await smtp.waitForMail(email, () => true, 30_000);
        return { email, code: /\b(\d{6})\b/.exec(mail.text)![1]! };
      }),
    );
    const uploaders = await Promise.all(Array.from({ length: 6 }, () => fixtures.client()));
    const uploads = uploaders.map((client) => ({ client, body: generateClientKeys({ preKeys: 10, pqPreKeys: 10 }).upload }));
    const reader = uploaders[0]!;
    const owner = await fixtures.createTestUser();
    const browser = await fixtures.browser(app.url, owner.id);
    expect((await call("page", `${app.url}/settings/profile`, { headers: { cookie: browser.cookie } })).status).toBe(200);

    const signIn = (entry: (typeof signIns)[number]) =>
      call("token", `${app.url}/api/auth/token`, json({ email: entry.email, code: entry.code, deviceName: "restart test" }));
    const upload = (entry: (typeof uploads)[number]) =>
      call("upload", `${app.url}/api/keys`, { ...json(entry.body, entry.client.authorization), method: "PUT" });

    const outcomes: Outcome[] = [];
    let load = true;
    const readers = Array.from({ length: 3 }, async () => {
      while (load) {
        outcomes.push(await call("devices", `${app.url}/api/devices`, { headers: { authorization: reader.authorization } }));
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    });
    // One write every 400 ms, spread over before, during and after the outage.
    const writes: Array<Promise<Outcome>> = [];
    const writer = (async () => {
      for (let index = 0; index < 6; index++) {
        writes.push(signIn(signIns[index]!), upload(uploads[index]!));
        await new Promise((resolve) => setTimeout(resolve, 800));
      }
    })();

    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await database.stop();
    const duringOutage = await Promise.all([
      call("health", `${app.url}/api/health`),
      call("live", `${app.url}/api/health/live`),
      call("page", `${app.url}/settings/profile`, { headers: { cookie: browser.cookie } }),
    ]);
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    await database.start();
    await writer;
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    load = false;
    await Promise.all(readers);
    const written = await Promise.all(writes);
    const all = [...outcomes, ...written, ...duringOutage];

    const [health, live, page] = duringOutage;
    expect(health!.status).toBe(503);
    expect(live!.status).toBe(200);
    // The server renders the error shell; the browser shows app/error.tsx from the page's scripts.
    expect(page!.body).not.toMatch(/ at .*\.(js|ts):\d+/);
    expect(await shipsFriendlyError(page!.body)).toBe(true);

    const unavailable = all.filter((outcome) => outcome.status === 503);
    expect(unavailable.filter((outcome) => outcome.label === "devices").length).toBeGreaterThan(0);
    for (const outcome of unavailable.filter((entry) => entry.label !== "page")) {
      expect(outcome.retryAfter).toBe("5");
      expect(JSON.parse(outcome.body)).toMatchObject({ error: { code: "service_unavailable" } });
    }
    // The API never answers 500 for an outage; a page does (Next sets it) but shows the friendly error.
    expect(all.filter((outcome) => outcome.label !== "page" && outcome.status >= 500 && outcome.status !== 503)).toEqual([]);
    expect(Math.max(...all.map((outcome) => outcome.ms))).toBeLessThan(8_000);

    // The same process serves again; what failed in the outage succeeds when tried again.
    expect((await call("health", `${app.url}/api/health`)).status).toBe(200);
    expect((await call("page", `${app.url}/settings/profile`, { headers: { cookie: browser.cookie } })).status).toBe(200);
    // A 503 can also mean "committed, but the answer was lost" (PostgreSQL went down right after
    // COMMIT): then the retry finds the work done (code used, key ids stored), and it is all there.
    for (const [index, outcome] of written.entries()) {
      if (outcome.status !== 503) continue;
      if (outcome.label === "token") {
        const entry = signIns[index / 2]!;
        const retried = await signIn(entry);
        if (retried.status !== 201) {
          expect(retried.body).toContain("already used");
          const [done] = await sql<{ count: string }>(database.url, `SELECT count(*) FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = $1`, [entry.email]);
          expect(Number(done!.count)).toBe(1);
        }
      } else {
        const entry = uploads[(index - 1) / 2]!;
        const retried = await upload(entry);
        if (retried.status !== 204) {
          expect(retried.status, retried.body).toBe(409);
          const [done] = await sql<{ count: string }>(database.url, `SELECT count(*) FROM identity_keys WHERE device_id = $1`, [entry.client.deviceId]);
          expect(Number(done!.count)).toBe(1);
        }
      }
    }

    // Every account has its device and session; every device that uploaded has all of its keys.
    const invariants = await sql<{ broken: string; count: string }>(
      database.url,
      `SELECT 'account without device or session' AS broken, count(*) FROM users u
         WHERE NOT EXISTS (SELECT 1 FROM devices d WHERE d.user_id = u.id)
            OR NOT EXISTS (SELECT 1 FROM sessions s WHERE s.user_id = u.id)
       UNION ALL
       SELECT 'client device without session', count(*) FROM devices d
         WHERE d.kind = 'CLIENT' AND NOT EXISTS (SELECT 1 FROM sessions s WHERE s.device_id = d.id)
       UNION ALL
       SELECT 'partial key upload', count(*) FROM devices d
         WHERE (SELECT count(*) FROM identity_keys k WHERE k.device_id = d.id) > 0
           AND ((SELECT count(*) FROM signed_prekeys k WHERE k.device_id = d.id) <> 1
             OR (SELECT count(*) FROM kyber_last_resort_keys k WHERE k.device_id = d.id) <> 1
             OR (SELECT count(*) FROM one_time_prekeys k WHERE k.device_id = d.id) <> 10
             OR (SELECT count(*) FROM kyber_prekeys k WHERE k.device_id = d.id) <> 10)`,
    );
    expect(invariants.map((row) => [row.broken, Number(row.count)])).toEqual([
      ["account without device or session", 0],
      ["client device without session", 0],
      ["partial key upload", 0],
    ]);
    const [uploaded] = await sql<{ count: string }>(database.url, `SELECT count(*) FROM identity_keys`);
    expect(Number(uploaded!.count)).toBe(uploads.length);
  });
});

describe("a database unreachable at start-up", () => {
  const closedPortUrl = async () => `postgres://latchkey:secret@127.0.0.1:${await findFreePort()}/latchkey`;
  const expectOneClearLine = (output: string) => {
    expect(output).toContain("Cannot reach the database at DATABASE_URL");
    expect(output).not.toContain("secret");
    expect(output).not.toMatch(/^\s+at /m);
  };

  it("stops the server with one line naming DATABASE_URL", async () => {
    const failure = await startApp({ databaseUrl: await closedPortUrl() }).then(
      () => null,
      (error: Error) => error.message,
    );
    expect(failure).toContain("exited before serving");
    expectOneClearLine(failure!);
  });

  it("stops `npm start` (scripts/run-with-db.ts) with the same line", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join("scripts", "run-with-db.ts")], {
      env: { ...process.env, DATABASE_URL: await closedPortUrl(), AUTH_SECRET: randomBytes(32).toString("base64url") },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    expect(code).toBe(1);
    expectOneClearLine(output);
    expect(output.trim().split("\n")).toHaveLength(1);
  });
});

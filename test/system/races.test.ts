// Races against the production build (issue 22, items 7, 9 and 5): one code submitted twenty times
// at once, an account deletion racing its own key uploads and other people's bundle fetches, and a
// browser session left idle, seen from two instances on one database.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateClientKeys } from "../keys";
import { systemFixtures } from "./fixtures";
import { sql } from "./sql";
import { startApp, startSystemDatabase, type AppInstance, type SystemDatabase } from "./stack";

let database: SystemDatabase;
let instances: [AppInstance, AppInstance];
let fixtures: Awaited<ReturnType<typeof systemFixtures>>;

beforeAll(async () => {
  database = await startSystemDatabase();
  fixtures = await systemFixtures(database.url);
  // Behind a (pretend) proxy, so each request can come from its own address and no per-IP limit
  // mixes into the race. One AUTH_SECRET for both: a browser's cookie opens on either.
  const env = { TRUSTED_PROXIES: "127.0.0.1", AUTH_SECRET: randomBytes(32).toString("base64url") };
  instances = (await Promise.all([startApp({ databaseUrl: database.url, env }), startApp({ databaseUrl: database.url, env })])) as [AppInstance, AppInstance];
});

afterAll(async () => {
  await fixtures?.close();
  await Promise.all((instances ?? []).map((app) => app?.stop()));
  await database?.close();
});

let address = 0;
/** A fresh client address per request (TEST-NET-2 and -3). */
const nextAddress = () => `198.51.${100 + Math.floor(address / 250)}.${(address++ % 250) + 1}`;

function call(app: AppInstance, method: string, route: string, options: { body?: unknown; authorization?: string; headers?: Record<string, string> } = {}) {
  return fetch(`${app.url}${route}`, {
    method,
    redirect: "manual",
    headers: {
      "x-forwarded-for": nextAddress(),
      ...(options.body === undefined ? {} : { "content-type": "application/json" }),
      ...(options.authorization ? { authorization: options.authorization } : {}),
      ...options.headers,
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
}

/** The code in the newest message to `to` (no SMTP here: mail stays in the outbox). */
async function lastCodeTo(to: string): Promise<string> {
  const [message] = await sql<{ subject: string | null; text: string }>(
    database.url,
    `SELECT subject, text FROM outbox_messages WHERE "to" = $1 ORDER BY created_at DESC LIMIT 1`,
    [to],
  );
  const code = /\b(\d{6})\b/.exec(`${message?.subject ?? ""} ${message?.text ?? ""}`)?.[1];
  if (!code) throw new Error(`no code mailed to ${to}`);
  return code;
}

async function requestCode(email: string): Promise<string> {
  expect((await call(instances[0], "POST", "/api/auth/code", { body: { email } })).status).toBe(202);
  return lastCodeTo(email);
}

/** Status and error code of an API answer ({"error": {"code", "message"}}). */
async function answer(response: Response) {
  const text = await response.text();
  const error = response.ok ? undefined : (JSON.parse(text) as { error: { code: string; message: string } }).error;
  return { status: response.status, error };
}

/** The build's id of a server action, by its exported name (the browser posts it as Next-Action). */
function serverActionId(name: string): string {
  const manifest = JSON.parse(readFileSync(path.join(process.cwd(), ".next/server/server-reference-manifest.json"), "utf8")) as {
    node: Record<string, { exportedName?: string }>;
  };
  const found = Object.entries(manifest.node).find(([, entry]) => entry.exportedName === name);
  if (!found) throw new Error(`no server action ${name} in the build`);
  return found[0];
}

describe("a code submitted twenty times at once (item 7)", () => {
  it("POST /api/auth/token: exactly one device is signed in, the other nineteen hear the code was used", async () => {
    const email = "double-submit-api@example.test";
    const code = await requestCode(email);
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        call(instances[index % 2]!, "POST", "/api/auth/token", { body: { email, code, deviceName: `Phone ${index}` } }).then(answer),
      ),
    );
    expect(answers.filter((each) => each.status === 201)).toHaveLength(1);
    const used = answers.filter((each) => each.status === 400 && each.error?.code === "invalid_code" && each.error.message.startsWith("This code was already used"));
    expect(used).toHaveLength(19);
    const [sessions] = await sql<{ count: string }>(database.url, `SELECT count(*) FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = $1`, [email]);
    expect(Number(sessions!.count)).toBe(1);
  });

  it("the browser's code step (server action): exactly one sign-in, the rest told the code was used", async () => {
    const email = "double-submit-browser@example.test";
    const code = await requestCode(email);
    const actionId = serverActionId("verifyCodeAction");
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        fetch(`${instances[index % 2]!.url}/verify`, {
          method: "POST",
          headers: {
            "next-action": actionId,
            accept: "text/x-component",
            "content-type": "text/plain;charset=UTF-8",
            "x-forwarded-for": nextAddress(),
          },
          body: JSON.stringify([{ purpose: "signin", contact: email, code }]),
        }).then(async (response) => ({ status: response.status, text: await response.text() })),
      ),
    );
    expect(answers.map((each) => each.status).filter((status) => status >= 500)).toEqual([]);
    expect(answers.filter((each) => each.text.includes('"ok":true'))).toHaveLength(1);
    expect(answers.filter((each) => each.text.includes("This code was already used"))).toHaveLength(19);
    const [sessions] = await sql<{ count: string }>(database.url, `SELECT count(*) FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = $1`, [email]);
    expect(Number(sessions!.count)).toBe(1);
  });
});

describe("deleting an account while its devices upload keys and others fetch them (item 9)", () => {
  it("deletion wins every round; the racing requests get 401 or 404, never a 500", async () => {
    const requester = await fixtures.client();
    for (let round = 0; round < 4; round += 1) {
      const email = `deleted-${round}@example.test`;
      const owner = await fixtures.createTestUser({ email });
      const devices = [await fixtures.client(owner.id), await fixtures.client(owner.id)];
      const keys = devices.map(() => generateClientKeys({ preKeys: 10, pqPreKeys: 10 }));
      for (const [index, device] of devices.entries()) {
        expect((await call(instances[0], "PUT", "/api/keys", { body: keys[index]!.upload, authorization: device.authorization })).status).toBe(204);
      }
      const code = await requestCode(email);
      // A refresh re-sends the device's current keys (a no-op for them, a write all the same).
      const refresh = (index: number) => {
        const { identityKey, registrationId, signedPreKey, pqLastResortPreKey } = keys[index]!.upload;
        return { identityKey, registrationId, signedPreKey, pqLastResortPreKey };
      };
      const racers = [
        call(instances[round % 2]!, "DELETE", "/api/account", { body: { code }, authorization: devices[0]!.authorization }).then((response) => ({ kind: "delete", status: response.status })),
        ...devices.flatMap((device, index) =>
          Array.from({ length: 3 }, (_, turn) =>
            call(instances[(index + turn) % 2]!, "PUT", "/api/keys", { body: refresh(index), authorization: device.authorization }).then((response) => ({ kind: "upload", status: response.status })),
          ),
        ),
        ...Array.from({ length: 6 }, (_, turn) =>
          call(instances[turn % 2]!, "GET", `/api/keys/${owner.id}/*`, { authorization: requester.authorization }).then((response) => ({ kind: "fetch", status: response.status })),
        ),
      ];
      const results = await Promise.all(racers);
      expect(results.filter((result) => result.status >= 500), `round ${round}`).toEqual([]);
      expect(results[0], `round ${round}`).toEqual({ kind: "delete", status: 204 });
      for (const result of results.slice(1)) {
        expect([200, 204, 401, 404], `round ${round}: ${result.kind}`).toContain(result.status);
      }
      expect(await sql(database.url, `SELECT id FROM users WHERE id = $1`, [owner.id])).toEqual([]);
      expect((await call(instances[1], "GET", `/api/keys/${owner.id}/*`, { authorization: requester.authorization })).status).toBe(404);
      expect((await call(instances[0], "GET", "/api/keys/count", { authorization: devices[1]!.authorization })).status).toBe(401);
    }
  });

  it("a deletion refused for another reason leaves its code good", async () => {
    // The last admin cannot delete their account (409): the code it carried still works afterwards.
    const email = "last-admin@example.test";
    const admin = await fixtures.createTestUser({ email, role: "ADMIN" });
    const device = await fixtures.client(admin.id);
    const code = await requestCode(email);
    expect((await call(instances[0], "DELETE", "/api/account", { body: { code }, authorization: device.authorization })).status).toBe(409);
    const [row] = await sql<{ used_at: Date | null }>(database.url, `SELECT used_at FROM one_time_codes WHERE destination = $1 ORDER BY created_at DESC LIMIT 1`, [email]);
    expect(row!.used_at).toBeNull();
  });
});

describe("idle browser sessions (item 5)", () => {
  it("a session unused for longer than the idle timeout is refused on the next request, on every instance, and says why", async () => {
    const user = await fixtures.createTestUser({ email: "idle@example.test" });
    const browser = await fixtures.browser(instances[0].url, user.id);
    const home = (app: AppInstance) => call(app, "GET", "/home", { headers: { cookie: browser.cookie } });
    expect((await home(instances[1])).status).toBe(200);
    await sql(database.url, `UPDATE sessions SET last_seen_at = now() - interval '31 minutes' WHERE user_id = $1`, [user.id]);
    for (const app of instances) {
      const refused = await home(app);
      expect(refused.status).toBe(307);
      expect(refused.headers.get("location")).toMatch(/\/sign-in/);
    }
    const events = await sql<{ action: string }>(database.url, `SELECT action FROM audit_events WHERE user_id = $1 AND action LIKE 'session.%'`, [user.id]);
    expect(events).toEqual([{ action: "session.idle_timeout" }]);
  });

  it("a session in use keeps going past the timeout", async () => {
    const user = await fixtures.createTestUser({ email: "busy@example.test" });
    const browser = await fixtures.browser(instances[0].url, user.id);
    await sql(database.url, `UPDATE sessions SET last_seen_at = now() - interval '29 minutes' WHERE user_id = $1`, [user.id]);
    expect((await call(instances[1], "GET", "/home", { headers: { cookie: browser.cookie } })).status).toBe(200);
    const [session] = await sql<{ idle_seconds: number }>(database.url, `SELECT extract(epoch FROM now() - last_seen_at)::int AS idle_seconds FROM sessions WHERE user_id = $1`, [user.id]);
    expect(session!.idle_seconds).toBeLessThan(60);
  });
});

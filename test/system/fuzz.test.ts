// Malformed input never gives a 500 (issue 11 item 5): first each case a fuzz run once found,
// as a named assertion; then a seeded fuzz run of several thousand requests over every API route
// and every server action. Afterwards no table has gained or lost a row, except the ones listed
// in CHANGING_TABLES.
import { readFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { endpoints } from "../../lib/api/endpoints";
import { startSmtpCapture } from "../smtp";
import { startApp, startSystemDatabase, type AppInstance, type SystemDatabase } from "./stack";
import { sendRawRequest, type RawAnswer } from "./raw-http";

let database: SystemDatabase;
let smtp: Awaited<ReturnType<typeof startSmtpCapture>>;
let app: AppInstance;
let token: string;
let userId: string;
let deviceId: string;

type Answer = { status: number; headers: Headers; text: string };

async function send(pathname: string, init: RequestInit = {}): Promise<Answer> {
  const response = await fetch(`${app.url}${pathname}`, { redirect: "manual", ...init });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/** fetch refuses TRACE, so it goes through node:http. */
function sendRaw(pathname: string, method: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${app.url}${pathname}`, { method }, (response) => {
      let text = "";
      response.setEncoding("utf8").on("data", (chunk: string) => (text += chunk));
      response.on("end", () => {
        const headers = new Headers();
        for (const [name, value] of Object.entries(response.headers)) if (typeof value === "string") headers.set(name, value);
        resolve({ status: response.statusCode!, headers, text });
      });
    });
    request.on("error", reject).end();
  });
}

function isJsonError(answer: Answer): boolean {
  try {
    const body = JSON.parse(answer.text) as { error?: { code?: unknown; message?: unknown } };
    return typeof body.error?.code === "string" && typeof body.error.message === "string";
  } catch {
    return false;
  }
}

function expectJsonError(answer: Answer, status: number) {
  expect({ status: answer.status, json: isJsonError(answer), body: answer.text.slice(0, 200) }).toMatchObject({ status, json: true });
}

async function tableCounts(): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    const { rows: tables } = await client.query<{ name: string }>(
      `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename NOT LIKE '\\_prisma%' ORDER BY 1`,
    );
    const counts: Record<string, number> = {};
    for (const { name } of tables) {
      const { rows } = await client.query<{ count: string }>(`SELECT count(*) FROM "${name}"`);
      counts[name] = Number(rows[0]!.count);
    }
    return counts;
  } finally {
    await client.end();
  }
}

/** Tables whose row counts legitimately move while garbage is rejected. */
const CHANGING_TABLES = new Set([
  // Every public request spends from its per-IP bucket and every code or password check records a
  // hit: refusing a request still counts it, or the limit would not limit.
  "rate_limit_buckets",
  "rate_limit_hits",
  // Starting a passkey sign-in needs no input and no account (the ceremony must not reveal one):
  // each start is a challenge row, single use, gone after 5 minutes (ADR 0045).
  "passkey_challenges",
  // A well-formed discovery lookup among the garbage is counted for the admin (one row per day and counter).
  "daily_metrics",
]);

beforeAll(async () => {
  [database, smtp] = await Promise.all([startSystemDatabase(), startSmtpCapture()]);
  app = await startApp({ databaseUrl: database.url, env: { SMTP_URL: smtp.url } });
  const email = "fuzz-owner@example.test";
  expect((await send("/api/auth/code", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email }) })).status).toBe(202);
  const mail = await smtp.waitForMail(email, () => true, 15_000);
  const code = /\b(\d{6})\b/.exec(mail.text)![1];
  const answer = await send("/api/auth/token", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, code, deviceName: "fuzz phone" }),
  });
  expect(answer.status).toBe(201);
  ({ token, userId, deviceId } = JSON.parse(answer.text) as { token: string; userId: string; deviceId: string });
});

afterAll(async () => {
  await Promise.all([app?.stop(), smtp?.close()]);
  await database?.close();
});

const json = { "content-type": "application/json" };

describe("each malformed input that used to be a 500", () => {
  it("a NUL in deviceName on POST /api/auth/token is a 400", async () => {
    const body = JSON.stringify({ email: "fuzz-owner@example.test", code: "123456", deviceName: "pho\u0000ne" });
    expectJsonError(await send("/api/auth/token", { method: "POST", headers: json, body }), 400);
  });

  it("a lone UTF-16 surrogate in deviceName on POST /api/auth/token is a 400", async () => {
    const body = JSON.stringify({ email: "fuzz-owner@example.test", password: "whatever-password", deviceName: "phone \ud800" });
    expectJsonError(await send("/api/auth/token", { method: "POST", headers: json, body }), 400);
  });

  it("a device name with a line break, a text-direction override or an invisible character is a 400 (issue 22, item 12)", async () => {
    for (const deviceName of ["Phone\r\n\r\nClick https://evil.example", "\u202Eexe.gnp", "ad\u200Bmin"]) {
      const body = JSON.stringify({ email: "fuzz-owner@example.test", code: "123456", deviceName });
      const answer = await send("/api/auth/token", { method: "POST", headers: json, body });
      expectJsonError(answer, 400);
      expect(answer.text).toMatch(/line breaks, invisible or text-direction/);
    }
  });

  it("key transparency on a server started without its keys says it is off: a JSON 404, never a 500 (attack F1)", async () => {
    const search = { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: JSON.stringify({ userId }) };
    for (const [pathname, init] of [["/api/kt/checkpoint", {}], ["/api/kt/search", search]] as const) {
      const answer = await send(pathname, init);
      expectJsonError(answer, 404);
      expect(answer.text).toContain("transparency_off");
    }
  });

  it("an X-Forwarded-For of 4,000 characters is not a 500", async () => {
    const answer = await send("/api/auth/code", {
      method: "POST",
      headers: { ...json, "x-forwarded-for": "1".repeat(4_000) },
      body: JSON.stringify({ email: "not an email" }),
    });
    expectJsonError(answer, 400);
  });

  it("malformed percent-encoding in a path is a 400: JSON under /api, a text page with security headers elsewhere", async () => {
    for (const pathname of ["/api/keys/%/*", "/api/devices/%C0%AF", "/api/keys/%E0%A4%A/x"]) {
      expectJsonError(await send(pathname, { headers: { authorization: `Bearer ${token}` } }), 400);
    }
    for (const pathname of ["/reset/%E0%A4%A", "/%", "/settings/%zz"]) {
      const answer = await send(pathname);
      expect(answer.status, pathname).toBe(400);
      expect(answer.headers.get("x-content-type-options")).toBe("nosniff");
      expect(answer.headers.get("x-frame-options")).toBe("DENY");
      expect(answer.headers.get("content-security-policy")).toContain("default-src 'none'");
    }
  });

  it("TRACE on every API route is a JSON 405 with Allow", async () => {
    for (const endpoint of endpoints) {
      const answer = await sendRaw(endpoint.path.replace(/\{[^}]+\}/g, userId), "TRACE");
      expectJsonError(answer, 405);
      expect(answer.headers.get("allow"), endpoint.path).toContain(endpoint.method);
    }
  });

  it("a wrong method on an API route is a JSON 405 with Allow", async () => {
    const wrong = await send("/api/auth/code", { method: "GET" });
    expectJsonError(wrong, 405);
    expect(wrong.headers.get("allow")).toContain("POST");
    const patch = await send(`/api/devices/${deviceId}`, { method: "PATCH", headers: { authorization: `Bearer ${token}` } });
    expectJsonError(patch, 405);
    expect(patch.headers.get("allow")).toContain("DELETE");
    expectJsonError(await send("/api/health", { method: "POST" }), 405);
  });

  it("an unknown /api path is a JSON 404", async () => {
    for (const pathname of ["/api/nope", "/api/keys/x", "/api/devices/a/b/c"]) expectJsonError(await send(pathname), 404);
    expectJsonError(await send("/api/nope", { method: "POST", headers: json, body: "{}" }), 404);
  });

  it("a server action call whose body Next cannot decode is a 400, and a well-formed one still works", async () => {
    const reset = serverActions().find((action) => action.pages.includes("/reset") && action.name === "requestResetAction")!;
    const call = (body: string, contentType = "text/plain;charset=UTF-8") =>
      send("/reset", { method: "POST", headers: { "next-action": reset.id, "content-type": contentType, accept: "text/x-component" }, body });
    const bodies = ["not json", '"a string"', "", '["$Q1"]', '[{"email":"$@1"}]'];
    for (const body of bodies) expect((await call(body)).status, body).toBe(400);
    expect((await call("garbage", "multipart/form-data; boundary=x")).status).toBe(400);
    expect((await call("[" + "x".repeat(1024 * 1024) + "]")).status).toBe(413);
    const works = await call(JSON.stringify([{ email: "fuzz-owner@example.test" }]));
    expect(works.status).toBe(200);
    expect(works.text).toContain('"ok":true');
  });

  it("a server action posted from another origin, an opaque one or garbage is a 403, never a 500 (issue 22, item 6)", async () => {
    const reset = serverActions().find((action) => action.pages.includes("/reset") && action.name === "requestResetAction")!;
    const body = JSON.stringify([{ email: "fuzz-owner@example.test" }]);
    const call = (origin: string) =>
      send("/reset", { method: "POST", headers: { "next-action": reset.id, "content-type": "text/plain;charset=UTF-8", accept: "text/x-component", origin }, body });
    for (const origin of ["https://evil.example", "null", "not a url", `http://127.0.0.1:${app.port + 1}`]) {
      const answer = await call(origin);
      expect({ origin, status: answer.status }).toEqual({ origin, status: 403 });
      expect(answer.text).toMatch(/another site/);
    }
    expect((await call(new URL(app.url).origin)).status).toBe(200);
  });

  it("next-auth: a JSON content type on a form post, a GET of the credentials callback, a broken callbackUrl", async () => {
    const answers = [
      await send("/api/auth/callback/credentials", { method: "POST", headers: json, body: "csrfToken=x&ticket=y" }),
      await send("/api/auth/signin/credentials", { method: "POST", headers: json, body: "callbackUrl=%%" }),
      await send("/api/auth/callback/credentials"),
      await send("/api/auth/callback/credentials?callbackUrl=http://%5B::1"),
      await send("/api/auth/signin?callbackUrl=http://[", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "callbackUrl=http://[" }),
      await send("/api/auth/session", { method: "POST", headers: json, body: "{" }),
    ];
    for (const answer of answers) expect(answer.status, answer.text.slice(0, 200)).toBeLessThan(500);
  });
});

// ---------------------------------------------------------------------------------------------
// The seeded run.

/** mulberry32: a small PRNG, so every run sends the same requests. */
function prng(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = prng(20261202);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

const STRINGS = [
  "", " ", "a", "\u0000", "\ud800", "\udc00x", "😀", "%", "%C0%AF", "../../etc/passwd", "<script>alert(1)</script>", "' OR 1=1 --",
  "x".repeat(300), "AAAA", "BQ==", "not base64!", "BW".repeat(40), "=".repeat(10), "00000000-0000-0000-0000-000000000000",
  "fuzz-owner@example.test", "a@b", "123456", "+14155552671", "null", "-1", "1e309",
];
const NUMBERS = [0, -1, 1, 2 ** 31, 2 ** 53, -(2 ** 31) - 1, 1.5, Number.MAX_VALUE];

function randomValue(depth: number): unknown {
  const kind = Math.floor(random() * (depth > 3 ? 5 : 7));
  switch (kind) {
    case 0: return pick(STRINGS);
    case 1: return pick(NUMBERS);
    case 2: return pick([true, false, null]);
    case 3: return "A".repeat(Math.floor(random() * 3000));
    case 4: return pick(STRINGS) + pick(STRINGS);
    case 5: return Array.from({ length: Math.floor(random() * 4) }, () => randomValue(depth + 1));
    default: return randomObject(depth + 1);
  }
}

const FIELDS = ["email", "code", "password", "deviceName", "registrationId", "identityKey", "signedPreKey", "preKeys", "kyberPreKeys",
  "kyberLastResortKey", "keyId", "publicKey", "signature", "phoneNumbers", "__proto__", "constructor", "extra"];

function randomObject(depth: number): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  // defineProperty: a "__proto__" field must be a key of the body, not the object's prototype.
  for (let i = Math.floor(random() * 6); i > 0; i--) Object.defineProperty(object, pick(FIELDS), { value: randomValue(depth), enumerable: true, writable: true, configurable: true });
  return object;
}

function randomBody(): string | undefined {
  switch (Math.floor(random() * 11)) {
    case 0: return undefined;
    case 1: return "x".repeat(1024 * 1024); // 1 MB
    case 2: return "[".repeat(20_000) + "]".repeat(20_000); // deeply nested
    case 3: return `{"a":${'{"a":'.repeat(5_000)}1${"}".repeat(5_001)}`;
    case 4: return pick(["{", "null", "[]", "\"\"", "0", "{\"email\":", "\u0000", "\ufeff{}"]);
    case 5: return JSON.stringify({ email: "fuzz-owner@example.test", code: pick(STRINGS), deviceName: pick(STRINGS) });
    case 6: return JSON.stringify({ registrationId: pick(NUMBERS), identityKey: pick(STRINGS), preKeys: [{ keyId: pick(NUMBERS), publicKey: pick(STRINGS) }] });
    case 7: return JSON.stringify({ phoneNumbers: Array.from({ length: Math.floor(random() * 120) }, () => pick(STRINGS)) });
    default: return JSON.stringify(randomObject(0));
  }
}

const PATH_VALUES = ["", "x", "%zz", "%C0%AF", "00000000-0000-0000-0000-000000000000", "not-a-uuid", "..", "%2e%2e", "😀", "a".repeat(2000),
  "Fuzz_Owner", "a\u0000b", "ǅemo"];

function randomPath(template: string): string {
  return template.replace(/\{[^}]+\}/g, () => (random() < 0.3 ? pick([userId, deviceId]) : encodeURIComponent(pick(PATH_VALUES))));
}

function randomHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  headers["content-type"] = pick(["application/json", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json; charset=utf-16", "", "*/*"]);
  if (random() < 0.5) headers.authorization = pick([`Bearer ${token}`, "Bearer", "Bearer x", `Bearer ${"a".repeat(5000)}`, "Basic Zm9vOmJhcg==", `bearer ${token}`, "Bearer \u00ff"]);
  if (random() < 0.2) headers["x-forwarded-for"] = pick(["1".repeat(4000), "::1, 10.0.0.1", "not an address", "1.2.3.4,".repeat(500)]);
  if (random() < 0.2) headers.cookie = pick(["next-auth.session-token=garbage", `next-auth.session-token=${"x".repeat(4000)}`, "=;=;=", "latchkey-device=%%"]);
  if (random() < 0.1) headers["content-length"] = pick(["99999999999", "0"]);
  return headers;
}

const METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"];

type Probe = { method: string; pathname: string; headers: Record<string, string>; body?: string; api: boolean };

function apiProbe(): Probe {
  const endpoint = pick(endpoints);
  const method = random() < 0.75 ? endpoint.method : pick(METHODS);
  const body = method === "GET" || method === "HEAD" ? undefined : randomBody();
  const headers = randomHeaders();
  if (body === undefined || headers["content-length"]) delete headers["content-length"];
  // A DELETE with the real token is valid input that revokes the session the rest of the run uses.
  if (method === "DELETE" && headers.authorization === `Bearer ${token}`) delete headers.authorization;
  return { method, pathname: randomPath(endpoint.path), headers, body, api: true };
}

/** Server action ids of the build: each page's actions are POSTs to it with a Next-Action header. */
function serverActions(): { id: string; name?: string; pages: string[] }[] {
  const manifest = JSON.parse(readFileSync(path.join(process.cwd(), ".next/server/server-reference-manifest.json"), "utf8")) as {
    node: Record<string, { exportedName?: string; workers: Record<string, unknown> }>;
  };
  return Object.entries(manifest.node).map(([id, entry]) => ({
    id,
    name: entry.exportedName,
    pages: Object.keys(entry.workers).map((worker) => worker.replace(/^app/, "").replace(/\/page$/, "").replace(/\/\([^)]+\)/g, "") || "/"),
  }));
}

function actionProbe(actions: { id: string; pages: string[] }[]): Probe {
  const action = pick(actions);
  const page = pick(action.pages).replace(/\[[^\]]+\]/g, () => pick([userId, "x"]));
  const form = random() < 0.5;
  const body = form
    ? new URLSearchParams(Object.entries(randomObject(0)).map(([key, value]) => [key, typeof value === "string" ? value : (JSON.stringify(value) ?? "")])).toString()
    : random() < 0.8
      ? // Arguments as React encodes them: an array.
        JSON.stringify(pick([[randomValue(0)], [randomObject(0), randomObject(0)], [null, randomObject(0)], [randomValue(0), randomValue(0)]]))
      : // What React never sends and Next cannot decode (scripts/server.ts refuses it first).
        pick([JSON.stringify(randomValue(0)) ?? "", "", "{", '["$Q1"]', `[{"a":"$@${Math.floor(random() * 9)}"}]`, "[".repeat(5_000)]);
  const headers: Record<string, string> = {
    ...randomHeaders(),
    "next-action": random() < 0.9 ? action.id : pick(["x", "0".repeat(42), ""]),
    "content-type": form ? "application/x-www-form-urlencoded" : "text/plain;charset=UTF-8",
    accept: "text/x-component",
  };
  delete headers["content-length"];
  return { method: "POST", pathname: page, headers, body, api: false };
}

describe("a seeded fuzz run", () => {
  it("never answers 5xx, answers /api errors as JSON, and changes no table", { timeout: 180_000 }, async () => {
    const before = await tableCounts();
    const actions = serverActions();
    expect(actions.length).toBeGreaterThan(0);
    const probes: Probe[] = Array.from({ length: 3_200 }, () => (random() < 0.7 ? apiProbe() : actionProbe(actions)));
    const failures: string[] = [];
    const started = performance.now();
    let sent = 0;
    const worker = async () => {
      for (let probe = probes.pop(); probe; probe = probes.pop()) {
        sent++;
        const label = `${probe.method} ${probe.pathname.slice(0, 100)} ${JSON.stringify(probe.headers).slice(0, 200)} ${probe.body?.slice(0, 80) ?? ""}`;
        try {
          const answer = await send(probe.pathname, { method: probe.method, headers: probe.headers, body: probe.body });
          if (answer.status >= 500) failures.push(`${answer.status} ← ${label}: ${answer.text.slice(0, 200)}`);
          // fetch resolves dot segments (/api/keys/../.. is /): only what reaches /api is API.
          else if (probe.api && new URL(probe.pathname, app.url).pathname.startsWith("/api/") && answer.status >= 400 && probe.method !== "HEAD" && !isJsonError(answer)) {
            failures.push(`${answer.status} without the JSON error shape ← ${label}: ${answer.text.slice(0, 200)}`);
          }
        } catch (error) {
          failures.push(`no answer (${String(error)}) ← ${label}`);
        }
      }
    };
    await Promise.all(Array.from({ length: 12 }, worker));
    const seconds = (performance.now() - started) / 1000;
    console.log(`fuzz: ${sent} requests in ${seconds.toFixed(1)} s (${actions.length} server actions)`);
    expect({ count: failures.length, first: failures.slice(0, 20) }).toEqual({ count: 0, first: [] });
    expect(sent).toBeGreaterThanOrEqual(3_000);

    const after = await tableCounts();
    for (const table of CHANGING_TABLES) {
      delete before[table];
      delete after[table];
    }
    expect(after).toEqual(before);
  });
});

// ---------------------------------------------------------------------------------------------
// Raw request lines (issue 26, part 4): what fetch cannot send, over a socket, exactly as written.

const rawRequest = (method: string, target: string, body?: string) =>
  `${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n${body === undefined ? "" : `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n`}\r\n${body ?? ""}`;

/** Whether a raw answer's body is the API's JSON error. */
const isJsonErrorBody = (answer: RawAnswer) => isJsonError({ status: answer.status, headers: new Headers(), text: answer.body.toString("utf8") });

describe("raw request lines that used to be answered badly", () => {
  it("OPTIONS * (asterisk form) is answered with Allow, never a 500", async () => {
    const answer = await sendRawRequest(app.port, rawRequest("OPTIONS", "*"));
    expect(answer.status).toBe(204);
    expect(answer.head).toMatch(/^allow: .*GET/im);
    for (const method of ["GET", "POST", "DELETE"]) expect((await sendRawRequest(app.port, rawRequest(method, "*"))).status).toBe(400);
  });

  it("/api itself answers JSON for every method, like every other /api path", async () => {
    for (const method of ["GET", "PUT", "POST", "DELETE", "PATCH"]) {
      for (const target of ["/api", "/api/", "/api?x=1"]) {
        const answer = await sendRawRequest(app.port, rawRequest(method, target, method === "GET" ? undefined : "{}"));
        expect({ target, method, status: answer.status, json: isJsonErrorBody(answer) }).toEqual({ target, method, status: 404, json: true });
      }
    }
  });

  it("a wrong method on an API route spelled with dot segments is a JSON 405 with Allow", async () => {
    for (const target of ["/api/../api/health", "/api/./health", "/x/../api/health", "/%2e/api/health"]) {
      const answer = await sendRawRequest(app.port, rawRequest("POST", target, "{}"));
      expect({ target, status: answer.status, json: isJsonErrorBody(answer) }).toEqual({ target, status: 405, json: true });
      expect(answer.head).toMatch(/^allow: GET, HEAD, OPTIONS/im);
    }
  });
});

describe("a seeded fuzz run of raw request lines", () => {
  it("never answers 5xx or hangs, and every 405 says what is allowed", { timeout: 120_000 }, async () => {
    const methods = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "get", "FOO", "M-SEARCH", "PROPFIND"];
    const targets = [
      "*", "/", "/api", "/api/", "/api/health", "/api/health/", "/api/../api/health", "//api//health", "/%2e/api/health", "/api/%2e%2e/api/health",
      "/api/keys/x/*", "/api/keys/%2A/%2A", "/api/devices/..%2f..%2fhealth", "/api/openapi.json/..", "/sign-in/..", "/settings/./devices",
      "http://127.0.0.1/api/health", "https://evil.example/", "/?%", "/api?%zz", "/a b", "/api/\u00e9", "/" + "a".repeat(8_000), "/api/" + "%2f".repeat(500),
      "/.well-known/x", "/_next/static/../../api/health", "/_next/data/x.json", "/favicon.ico/..;/api", "/api/auth/..;/health",
    ];
    const bodies = [undefined, "", "{}", "[]", "{", "null", '{"email":"a@example.test"}'];
    const probes = Array.from({ length: 400 }, () => {
      const method = pick(methods);
      const target = random() < 0.7 ? pick(targets) : pick(targets).replace(/\/?$/, "/") + pick(["..", ".", "%2e", "x", "%00", "%"]);
      return { method, target, body: method === "GET" || method === "HEAD" ? undefined : pick(bodies) };
    });
    const failures: string[] = [];
    const worker = async () => {
      for (let probe = probes.pop(); probe; probe = probes.pop()) {
        const label = `${probe.method} ${probe.target.slice(0, 80)} ${probe.body ?? ""}`;
        try {
          const answer = await sendRawRequest(app.port, rawRequest(probe.method, probe.target, probe.body));
          if (answer.status === 0) failures.push(`no status line ← ${label}`);
          else if (answer.status >= 500) failures.push(`${answer.status} ← ${label}: ${answer.body.subarray(0, 120).toString("latin1")}`);
          else if (answer.status === 405 && !/^allow: /im.test(answer.head)) failures.push(`405 without Allow ← ${label}`);
        } catch (error) {
          failures.push(`${String(error)} ← ${label}`);
        }
      }
    };
    await Promise.all(Array.from({ length: 6 }, worker));
    expect({ count: failures.length, first: failures.slice(0, 20) }).toEqual({ count: 0, first: [] });
  });
});

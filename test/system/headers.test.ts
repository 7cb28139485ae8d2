// Security headers on every kind of answer, against the production build (ADR 0025, 0026): a strict
// CSP with a fresh nonce per page, HSTS and Secure/prefixed cookies when APP_URL is https, and
// `Cache-Control: no-store` on everything that carries a secret or personal data. The https app is
// still reached over plain http on 127.0.0.1: what matters is what it answers.
import { randomBytes, randomUUID } from "node:crypto";
import { request, type IncomingHttpHeaders } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encode } from "next-auth/jwt";
import pg from "pg";
import { startSmtpCapture } from "../smtp";
import { startApp, startSystemDatabase, type AppInstance, type SystemDatabase } from "./stack";

const authSecret = randomBytes(32).toString("base64url");
let database: SystemDatabase;
let smtp: Awaited<ReturnType<typeof startSmtpCapture>>;
let plain: AppInstance;
let secure: AppInstance;
let sessionId: string;

beforeAll(async () => {
  [database, smtp] = await Promise.all([startSystemDatabase(), startSmtpCapture()]);
  const env = { SMTP_URL: smtp.url, AUTH_SECRET: authSecret };
  [plain, secure] = await Promise.all([
    startApp({ databaseUrl: database.url, env }),
    startApp({ databaseUrl: database.url, env: { ...env, APP_URL: "https://latchkey.test" } }),
  ]);
  sessionId = await createSignedInBrowser();
});

afterAll(async () => {
  await Promise.all([plain?.stop(), secure?.stop(), smtp?.close()]);
  await database?.close();
});

/** A user with a complete profile and a live browser session, as a redeemed sign-in leaves them. */
async function createSignedInBrowser(): Promise<string> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    const [userId, deviceId, id] = [randomUUID(), randomUUID(), randomUUID()];
    await client.query(
      `INSERT INTO users (id, email, email_verified, is_profile_complete, name, username, updated_at)
       VALUES ($1, 'signed-in@example.test', true, true, 'Ada', 'ada', now())`,
      [userId],
    );
    await client.query(`INSERT INTO devices (id, user_id, name, kind) VALUES ($1, $2, 'Browser', 'BROWSER')`, [deviceId, userId]);
    await client.query(
      `INSERT INTO sessions (id, user_id, device_id, kind, token_hash, expires_at, ticket_redeemed_at)
       VALUES ($1, $2, $3, 'BROWSER', $4, now() + interval '1 day', now())`,
      [id, userId, deviceId, randomBytes(32).toString("hex")],
    );
    return id;
  } finally {
    await client.end();
  }
}

/** The session cookie next-auth would have set after redeeming the ticket, under `name`. */
async function sessionCookie(name: string): Promise<string> {
  const jwt = await encode({ token: { sid: sessionId }, secret: authSecret });
  return `${name}=${jwt}`;
}

function directives(policy: string | null): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const directive of (policy ?? "").split(";")) {
    const [name, ...values] = directive.trim().split(/\s+/);
    if (name) map.set(name, values);
  }
  return map;
}

/** Checks the page policy and that every script tag carries its nonce; returns the nonce. */
function expectStrictPagePolicy(response: Response, html: string): string {
  const policy = directives(response.headers.get("content-security-policy"));
  const scriptSources = policy.get("script-src") ?? [];
  const nonceSource = scriptSources.find((source) => source.startsWith("'nonce-"));
  expect(nonceSource, "script-src has a nonce").toBeDefined();
  expect(scriptSources).toContain("'strict-dynamic'");
  expect(scriptSources).not.toContain("'unsafe-inline'");
  expect(scriptSources).not.toContain("'unsafe-eval'");
  expect(policy.get("object-src")).toEqual(["'none'"]);
  expect(policy.get("base-uri")).toEqual(["'none'"]);
  expect(policy.get("frame-ancestors")).toEqual(["'none'"]);
  expect(policy.get("form-action")).toEqual(["'self'"]);
  const nonce = nonceSource!.slice("'nonce-".length, -1);
  const scriptTags = html.match(/<script\b[^>]*>/g) ?? [];
  expect(scriptTags.length).toBeGreaterThan(0);
  for (const tag of scriptTags) expect(tag).toContain(`nonce="${nonce}"`);
  expect(response.headers.get("x-frame-options")).toBe("DENY");
  expect(response.headers.get("x-content-type-options")).toBe("nosniff");
  return nonce;
}

function expectHsts(app: AppInstance, response: Response) {
  if (app === secure) expect(response.headers.get("strict-transport-security")).toBe("max-age=63072000; includeSubDomains");
  else expect(response.headers.get("strict-transport-security")).toBeNull();
}

const publicPages = ["/", "/sign-in", "/sign-up", "/reset", "/verify"];
const notFoundPages = ["/admin", "/dev/outbox", "/no-such-page"];
const signedInPages = ["/home", "/settings/devices", "/settings/security"];

describe.each([
  ["http APP_URL", () => plain, "next-auth.session-token"],
  ["https APP_URL", () => secure, "__Secure-next-auth.session-token"],
])("with an %s", (_label, app, sessionCookieName) => {
  it("serves every public page with a strict nonce CSP that its scripts carry", async () => {
    for (const path of publicPages) {
      const response = await fetch(`${app().url}${path}`);
      expect(response.status, path).toBe(200);
      expectStrictPagePolicy(response, await response.text());
      expectHsts(app(), response);
    }
  });

  it("uses a fresh nonce for every request", async () => {
    const nonces = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const response = await fetch(`${app().url}/sign-in`);
      nonces.add(expectStrictPagePolicy(response, await response.text()));
    }
    expect(nonces.size).toBe(3);
  });

  it("answers the admin area, the dev outbox and unknown pages 404 under the same policy", async () => {
    for (const path of notFoundPages) {
      const response = await fetch(`${app().url}${path}`);
      expect(response.status, path).toBe(404);
      expectStrictPagePolicy(response, await response.text());
      expectHsts(app(), response);
    }
  });

  it("serves signed-in pages (read from the cookie name of this scheme) with the policy and no-store", async () => {
    const cookie = await sessionCookie(sessionCookieName);
    for (const path of signedInPages) {
      const response = await fetch(`${app().url}${path}`, { headers: { cookie }, redirect: "manual" });
      expect(response.status, path).toBe(200);
      expectStrictPagePolicy(response, await response.text());
      expect(response.headers.get("cache-control")).toContain("no-store");
      expectHsts(app(), response);
    }
  });

  it("gives API answers a restrictive CSP and no-store, except the OpenAPI document and health", async () => {
    const answers = await Promise.all([
      fetch(`${app().url}/api/devices`),
      fetch(`${app().url}/api/auth/csrf`),
      fetch(`${app().url}/api/auth/session`),
      fetch(`${app().url}/api/no-such-route`),
      fetch(`${app().url}/api/auth/code`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" }),
    ]);
    for (const response of answers) {
      expect(response.headers.get("content-security-policy"), response.url).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(response.headers.get("cache-control"), response.url).toContain("no-store");
      expectHsts(app(), response);
    }
    for (const path of ["/api/openapi.json", "/api/health"]) {
      const response = await fetch(`${app().url}${path}`);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-security-policy")).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(response.headers.get("cache-control") ?? "").not.toContain("no-store");
    }
  });

  it("gives an API answer its headers however the path is spelled (the server sets them, not the proxy)", async () => {
    // Next routes dot segments and an escaped dot to the API and redirects doubled slashes there;
    // fetch() would tidy these paths, so they go out as written.
    const spellings = ["/./api/auth/csrf", "/%2e/api/auth/csrf", "/x/../api/auth/csrf", "/api/./keys/count", "//api/auth/csrf", "/api\\auth/csrf"];
    for (const path of spellings) {
      const response = await rawGet(app().url, path);
      expect([200, 308, 401], path).toContain(response.status);
      expect(response.headers["content-security-policy"], path).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(response.headers["cache-control"], path).toContain("no-store");
      expect(response.headers["strict-transport-security"] !== undefined, path).toBe(app() === secure);
    }
  });
});

describe("the bearer token answer", () => {
  it("is never stored by a cache: POST /api/auth/token answers 201 with no-store", async () => {
    const email = "client@example.test";
    const request = await fetch(`${plain.url}/api/auth/code`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email }),
    });
    expect(request.status).toBe(202);
    expect(request.headers.get("cache-control")).toContain("no-store");
    const mail = await smtp.waitForMail(email, () => true, 15_000);
    const code = /\b(\d{6})\b/.exec(mail.text)![1];
    const response = await fetch(`${plain.url}/api/auth/token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email, code, deviceName: "phone" }),
    });
    expect(response.status).toBe(201);
    expect((await response.json()).token).toBeTruthy();
    expect(response.headers.get("cache-control")).toContain("no-store");
  });
});

describe("next-auth's cookies", () => {
  function setCookies(response: Response): string[] {
    return response.headers.getSetCookie();
  }

  it("are Secure with the __Host-/__Secure- prefixes when APP_URL is https", async () => {
    const response = await fetch(`${secure.url}/api/auth/csrf`);
    const cookies = setCookies(response);
    const csrf = cookies.find((cookie) => cookie.startsWith("__Host-next-auth.csrf-token="));
    const callback = cookies.find((cookie) => cookie.startsWith("__Secure-next-auth.callback-url="));
    expect(csrf, cookies.join("\n")).toBeDefined();
    expect(callback, cookies.join("\n")).toBeDefined();
    for (const cookie of [csrf!, callback!]) {
      expect(cookie).toMatch(/;\s*Secure/i);
      expect(cookie).toMatch(/;\s*Path=\//i);
    }
    expect(csrf).toMatch(/;\s*HttpOnly/i);
    expect(csrf).not.toMatch(/;\s*Domain=/i);
  });

  it("stay unprefixed and not Secure over an http APP_URL (development), so the browser keeps them", async () => {
    const cookies = setCookies(await fetch(`${plain.url}/api/auth/csrf`));
    expect(cookies.some((cookie) => cookie.startsWith("next-auth.csrf-token="))).toBe(true);
    for (const cookie of cookies) expect(cookie).not.toMatch(/;\s*Secure/i);
  });

  it("a signed-in https browser is not recognised by the unprefixed cookie name", async () => {
    const cookie = await sessionCookie("next-auth.session-token");
    const response = await fetch(`${secure.url}/home`, { headers: { cookie }, redirect: "manual" });
    expect(response.status).toBeGreaterThanOrEqual(300);
    expect(response.status).toBeLessThan(400);
  });
});

/** GET `path` exactly as written (no URL normalisation on the way). */
function rawGet(baseUrl: string, path: string): Promise<{ status: number; headers: IncomingHttpHeaders }> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    request({ host: hostname, port, path }, (response) => {
      response.resume().once("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers }));
    })
      .once("error", reject)
      .end();
  });
}

// Issue 22, item 3: a signed-in visitor opening the sign-in page is sent to its `next` path, which
// must stay on this site however it is spelled (the server's redirect, the production build).
describe("the return path after sign-in", () => {
  const hostile = [
    "/.//evil.example/phish",
    "/..//evil.example",
    "/a/..//evil.example",
    "/%2e//evil.example",
    "/%2E%2E%2F%2Fevil.example",
    "/.%2f/evil.example",
    "/.%5C/evil.example",
    "/%5C%5Cevil.example",
    "/%252f%252fevil.example",
    "//evil.example",
    "/\\evil.example",
    "/%09/evil.example",
    "/%0a/evil.example",
    "https://evil.example/",
    "javascript:alert(1)",
    "http:evil.example",
  ];

  it.each(hostile)("a signed-in visitor at /sign-in?next=%j stays on the site", async (next) => {
    const cookie = await sessionCookie("next-auth.session-token");
    const response = await fetch(`${plain.url}/sign-in?next=${encodeURIComponent(next)}`, { headers: { cookie }, redirect: "manual" });
    expect(response.status).toBeGreaterThanOrEqual(300);
    expect(response.status).toBeLessThan(400);
    const location = response.headers.get("location")!;
    expect(new URL(location, plain.url).origin).toBe(new URL(plain.url).origin);
    expect(location.startsWith("//") || location.startsWith("/\\")).toBe(false);
  });

  it("a safe path is honoured", async () => {
    const cookie = await sessionCookie("next-auth.session-token");
    const response = await fetch(`${plain.url}/sign-in?next=${encodeURIComponent("/settings/./devices")}`, { headers: { cookie }, redirect: "manual" });
    expect(new URL(response.headers.get("location")!, plain.url).pathname).toBe("/settings/devices");
  });
});

// next-auth builds redirects from NEXTAUTH_URL and fell back to http://localhost:3000 without it,
// whatever APP_URL said (found by a fresh attacker): its redirects must name the public URL.
describe("next-auth's redirects", () => {
  it.each([
    ["http APP_URL", () => plain, () => `http://localhost:${plain.port}`],
    ["https APP_URL", () => secure, () => "https://latchkey.test"],
  ])("point at APP_URL (%s)", async (_, app, appUrl) => {
    const signOut = await fetch(`${app().url}/api/auth/signout`, { method: "POST", redirect: "manual" });
    expect(signOut.headers.get("location")).toMatch(new RegExp(`^${appUrl().replace(/[.]/g, "\\.")}/`));
    const signIn = await fetch(`${app().url}/api/auth/signin`, { redirect: "manual" });
    const callbackCookie = signIn.headers.getSetCookie().find((cookie) => cookie.includes("callback-url="));
    if (callbackCookie) expect(decodeURIComponent(callbackCookie)).toContain(appUrl());
    expect(signIn.headers.get("location") ?? "").not.toContain("localhost:3000");
  });
});

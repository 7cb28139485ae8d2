// Per-IP limits count the socket's address: a client cannot choose its own by sending
// X-Forwarded-For, and only a proxy the operator declared in TRUSTED_PROXIES is believed.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { startSmtpCapture } from "../smtp";
import { startApp, startSystemDatabase, type AppInstance, type SystemDatabase } from "./stack";

let database: SystemDatabase;
let smtp: Awaited<ReturnType<typeof startSmtpCapture>>;
let direct: AppInstance;
let behindProxy: AppInstance;

beforeAll(async () => {
  [database, smtp] = await Promise.all([startSystemDatabase(), startSmtpCapture()]);
  [direct, behindProxy] = await Promise.all([
    startApp({ databaseUrl: database.url, env: { SMTP_URL: smtp.url } }),
    startApp({ databaseUrl: database.url, env: { SMTP_URL: smtp.url, TRUSTED_PROXIES: "127.0.0.1" } }),
  ]);
});

afterAll(async () => {
  await Promise.all([direct?.stop(), behindProxy?.stop(), smtp?.close()]);
  await database?.close();
});

async function requestCode(app: AppInstance, email: string, headers: Record<string, string>) {
  const response = await fetch(`${app.url}/api/auth/code`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ email }),
  });
  return response.status;
}

async function recordedAddresses(): Promise<string[]> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ ip: string }>(
      `SELECT ip FROM sessions WHERE ip IS NOT NULL UNION SELECT ip FROM audit_events WHERE ip IS NOT NULL`,
    );
    return rows.map((row) => row.ip);
  } finally {
    await client.end();
  }
}

describe("the client address", () => {
  it("records the socket's address on sessions and audit rows, not a forged X-Forwarded-For", async () => {
    const forged = { "x-forwarded-for": "198.51.100.99" };
    expect(await requestCode(direct, "owner@example.test", forged)).toBe(202);
    const mail = await smtp.waitForMail("owner@example.test", () => true, 15_000);
    const code = /\b(\d{6})\b/.exec(mail.text)![1];
    const token = await fetch(`${direct.url}/api/auth/token`, {
      method: "POST",
      headers: { "content-type": "application/json", ...forged },
      body: JSON.stringify({ email: "owner@example.test", code, deviceName: "phone" }),
    });
    expect(token.status).toBe(201);
    const addresses = await recordedAddresses();
    expect(addresses).toContain("127.0.0.1");
    expect(addresses).not.toContain("198.51.100.99");
  });

  it("ignores a forged X-Forwarded-For: the per-IP limit holds across 30 different forged values", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) {
      statuses.push(await requestCode(direct, `forged${i}@example.test`, { "x-forwarded-for": `198.51.100.${i}` }));
    }
    // A burst of 20 per address (two spent above), refilling one every 3 s while the loop runs.
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThanOrEqual(10);
    expect(statuses.slice(20).every((status) => status === 429)).toBe(true);
  });

  it("ignores a client-sent copy of the internal client-address header", async () => {
    const status = await requestCode(direct, "internal@example.test", { "x-latchkey-client-address": "192.0.2.77" });
    expect(status).toBe(429);
  });

  it("takes the right-most untrusted entry behind a declared proxy, so each client gets its own allowance", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) {
      // What a client wrote first, then what the trusted proxy appended: the proxy's entry counts.
      statuses.push(await requestCode(behindProxy, `proxied${i}@example.test`, { "x-forwarded-for": `10.9.9.9, 203.0.113.${i}` }));
    }
    expect(statuses.every((status) => status === 202)).toBe(true);

    const limited: number[] = [];
    for (let i = 0; i < 25; i++) {
      limited.push(await requestCode(behindProxy, `same${i}@example.test`, { "x-forwarded-for": `10.0.0.${i}, 203.0.113.200` }));
    }
    expect(limited.filter((status) => status === 429).length).toBeGreaterThanOrEqual(5);
  });
});

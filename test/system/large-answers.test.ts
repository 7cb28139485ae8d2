// Issue 26, part 1: every API answer arrives whole, whatever its size, against the production server.
// The server used to cork every API answer until end(); Next waits for 'drain' after a write that
// fills the buffer, and a corked socket never drains, so any answer past about 16 kB hung with zero
// bytes sent (and a bundle's one-time keys were claimed all the same). The sizes here run from 1 kB
// to the largest answers routes give: a bundle for an account at its device limit, the OpenAPI
// document, a device list at its maximum and the admin metrics. Clients that read slowly or leave
// halfway are served or let go without holding anything.
import { connect, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSmtpCapture } from "../smtp";
import { generateClientKeys } from "../keys";
import { systemFixtures } from "./fixtures";
import { startApp, startSystemDatabase, type AppInstance, type SystemDatabase } from "./stack";
import { MAX_MESSAGING_DEVICES } from "../../lib/limits";
import { hashPassword } from "../../lib/auth/password";
import { sendRawRequest, type RawAnswer, type RawReading } from "./raw-http";

let database: SystemDatabase;
let smtp: Awaited<ReturnType<typeof startSmtpCapture>>;
let app: AppInstance;
let fixtures: Awaited<ReturnType<typeof systemFixtures>>;

type Owner = { userId: string; deviceIds: string[]; authorization: string };
let owner: Owner;

beforeAll(async () => {
  [database, smtp] = await Promise.all([startSystemDatabase(), startSmtpCapture()]);
  fixtures = await systemFixtures(database.url);
  app = await startApp({ databaseUrl: database.url, env: { SMTP_URL: smtp.url } });
  owner = await accountAtDeviceLimit();
});

afterAll(async () => {
  await app?.stop();
  await Promise.all([smtp?.close(), fixtures?.close()]);
  await database?.close();
});

/** An account with the most messaging devices it may have, each with a full key set published. */
async function accountAtDeviceLimit(): Promise<Owner> {
  const { id: userId } = await fixtures.createTestUser();
  const deviceIds: string[] = [];
  let authorization = "";
  for (let index = 0; index < MAX_MESSAGING_DEVICES; index += 1) {
    const device = await fixtures.client(userId);
    const keys = generateClientKeys({ preKeys: 20, pqPreKeys: 20 });
    const upload = await fetch(`${app.url}/api/keys`, {
      method: "PUT",
      headers: { "content-type": "application/json", authorization: device.authorization },
      body: JSON.stringify(keys.upload),
    });
    expect(upload.status).toBe(204);
    deviceIds.push(device.deviceId);
    authorization = device.authorization;
  }
  return { userId, deviceIds, authorization };
}

/** A GET over a raw socket (see raw-http.ts for the ways of reading it). */
function rawGet(path: string, headers: Record<string, string> = {}, reading: RawReading = {}): Promise<RawAnswer> {
  const lines = [`GET ${path} HTTP/1.1`, "Host: 127.0.0.1", "Connection: close", ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`)];
  return sendRawRequest(app.port, `${lines.join("\r\n")}\r\n\r\n`, reading);
}

async function unclaimedPreKeys(deviceId: string): Promise<number> {
  return fixtures.prisma.oneTimePreKey.count({ where: { deviceId, used: false } });
}

describe("answers of every size arrive whole", () => {
  it("serves the OpenAPI document (tens of kB) in full", async () => {
    const answer = await rawGet("/api/openapi.json");
    expect(answer.status).toBe(200);
    expect(answer.body.length).toBeGreaterThan(16 * 1024);
    expect(JSON.parse(answer.body.toString()).openapi).toMatch(/^3\.1/);
  });

  it("serves bundles from one device (about 3 kB) up to an account at its device limit", async () => {
    const requester = await fixtures.client();
    const one = await rawGet(`/api/keys/${owner.userId}/${owner.deviceIds[0]}`, { authorization: requester.authorization });
    expect(one.status).toBe(200);
    expect(one.body.length).toBeGreaterThan(1024);
    expect(JSON.parse(one.body.toString()).devices).toHaveLength(1);

    const all = await rawGet(`/api/keys/${owner.userId}/*`, { authorization: requester.authorization });
    expect(all.status).toBe(200);
    const bundle = JSON.parse(all.body.toString()) as { devices: { deviceId: string; preKey: unknown }[] };
    expect(bundle.devices.map((device) => device.deviceId).sort()).toEqual([...owner.deviceIds].sort());
    expect(bundle.devices.every((device) => device.preKey !== null)).toBe(true);
    expect(all.body.length).toBeGreaterThan(MAX_MESSAGING_DEVICES * 2000);
  });

  it("serves a device list at its maximum and the admin metrics", async () => {
    const devices = await rawGet("/api/devices", { authorization: owner.authorization });
    expect(devices.status).toBe(200);
    expect(JSON.parse(devices.body.toString()).devices).toHaveLength(MAX_MESSAGING_DEVICES);

    const { id: adminId } = await fixtures.createTestUser({ role: "ADMIN" });
    const admin = await fixtures.client(adminId);
    const metrics = await rawGet("/api/admin/metrics", { authorization: admin.authorization });
    expect(metrics.status).toBe(200);
    expect(JSON.parse(metrics.body.toString())).toBeTypeOf("object");
  });

  it("serves a client that reads slowly", async () => {
    const requester = await fixtures.client();
    const paused = await rawGet("/api/openapi.json", {}, { pauseMs: 1500 });
    expect(JSON.parse(paused.body.toString()).openapi).toMatch(/^3\.1/);
    const trickled = await rawGet(`/api/keys/${owner.userId}/*`, { authorization: requester.authorization }, { chunkDelayMs: 50 });
    expect(JSON.parse(trickled.body.toString()).devices).toHaveLength(MAX_MESSAGING_DEVICES);
  });
});

describe("a client that leaves halfway", () => {
  it("holds nothing: the server goes on serving every route and the database pool is free", { timeout: 30_000 }, async () => {
    const requester = await fixtures.client();
    const sockets: Socket[] = [];
    // Twenty clients ask for large answers and hang up after their first bytes.
    await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        new Promise<void>((resolve) => {
          const socket = connect(app.port, "127.0.0.1");
          sockets.push(socket);
          const path = index % 2 ? "/api/openapi.json" : `/api/keys/${owner.userId}/${owner.deviceIds[index % owner.deviceIds.length]}`;
          socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${requester.authorization}\r\n\r\n`);
          socket.once("data", () => {
            socket.destroy();
            resolve();
          });
          socket.once("error", () => resolve());
        }),
      ),
    );
    // More concurrent database work than the pool has connections, right after.
    const answers = await Promise.all(Array.from({ length: 30 }, () => fetch(`${app.url}/api/keys/count`, { headers: { authorization: owner.authorization } })));
    expect(answers.map((answer) => answer.status).every((status) => status === 200 || status === 429)).toBe(true);
    expect((await fetch(`${app.url}/api/health`)).status).toBe(200);
    expect((await rawGet("/api/openapi.json")).status).toBe(200);
  });

  it("a bundle that was answered in full spent exactly one key per device", async () => {
    const requester = await fixtures.client();
    const before = await Promise.all(owner.deviceIds.map(unclaimedPreKeys));
    const answer = await rawGet(`/api/keys/${owner.userId}/*`, { authorization: requester.authorization });
    expect(answer.status).toBe(200);
    const after = await Promise.all(owner.deviceIds.map(unclaimedPreKeys));
    expect(after).toEqual(before.map((count) => count - 1));
  });
});

describe("the device limit", () => {
  it(`refuses a messaging device beyond ${MAX_MESSAGING_DEVICES} by code or password, and allows one once a device is removed`, async () => {
    const password = "a long enough passphrase";
    const { email } = await fixtures.prisma.user.update({ where: { id: owner.userId }, data: { password: await hashPassword(password) } });
    const signIn = (credentials: { code: string } | { password: string }) =>
      fetch(`${app.url}/api/auth/token`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email, ...credentials, deviceName: "One too many" }),
      });

    for (const refused of [await signIn({ code: await requestCode(email!) }), await signIn({ password })]) {
      expect(refused.status).toBe(409);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("device_limit_reached");
    }
    expect(await fixtures.prisma.device.count({ where: { userId: owner.userId, kind: "CLIENT", revoked: false } })).toBe(MAX_MESSAGING_DEVICES);

    const removed = await fetch(`${app.url}/api/devices/${owner.deviceIds[0]}`, { method: "DELETE", headers: { authorization: owner.authorization } });
    expect(removed.status).toBe(204);
    // One place left and four clients racing for it: exactly one gets it.
    const raced = await Promise.all(Array.from({ length: 4 }, () => signIn({ password })));
    expect(raced.map((answer) => answer.status).sort()).toEqual([201, 409, 409, 409]);
    expect(await fixtures.prisma.device.count({ where: { userId: owner.userId, kind: "CLIENT", revoked: false } })).toBe(MAX_MESSAGING_DEVICES);
  });
});

async function requestCode(email: string): Promise<string> {
  const asked = await fetch(`${app.url}/api/auth/code`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email }) });
  expect(asked.status).toBe(202);
  const mail = await smtp.waitForMail(email, (message) => /\b\d{6}\b/.test(message.text));
  return mail.text.match(/\b(\d{6})\b/)![1]!;
}

describe("slow and hostile connections", () => {
  it("a slowloris (headers a byte a second on 40 connections) keeps nobody else waiting, and is cut off after the header timeout", { timeout: 30_000 }, async () => {
    const closedAt: number[] = [];
    const started = Date.now();
    const slow = Array.from({ length: 40 }, () => {
      const socket = connect(app.port, "127.0.0.1");
      socket.write("GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
      const drip = setInterval(() => socket.writable && socket.write("a"), 1000);
      socket.on("close", () => {
        clearInterval(drip);
        closedAt.push(Date.now() - started);
      });
      socket.on("error", () => undefined);
      return socket;
    });
    try {
      // While all forty drip, other clients are served as usual.
      const answers = await Promise.all(Array.from({ length: 20 }, () => rawGet("/api/health")));
      expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(200));
      expect(closedAt).toHaveLength(0);
      // The server ends them once their 10 s for headers are up (checked every second).
      const deadline = Date.now() + 20_000;
      while (closedAt.length < slow.length && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
      expect(closedAt).toHaveLength(slow.length);
      expect(Math.min(...closedAt)).toBeGreaterThanOrEqual(9_000);
    } finally {
      for (const socket of slow) socket.destroy();
    }
  });

  it("clients that never read their answers hold no database connection", { timeout: 30_000 }, async () => {
    const requester = await fixtures.client();
    const stalled = Array.from({ length: 30 }, (_, index) => {
      const socket = connect(app.port, "127.0.0.1");
      const path = index % 2 ? "/api/openapi.json" : `/api/keys/${owner.userId}/${owner.deviceIds[1]}`;
      socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${requester.authorization}\r\n\r\n`);
      socket.pause(); // never reads a byte
      socket.on("error", () => undefined);
      return socket;
    });
    try {
      // Three times the pool's size in concurrent database work, while all thirty sit unread.
      const answers = await Promise.all(Array.from({ length: 30 }, () => fetch(`${app.url}/api/keys/count`, { headers: { authorization: owner.authorization } })));
      expect(answers.every((answer) => answer.status === 200 || answer.status === 429)).toBe(true);
      expect(answers.some((answer) => answer.status === 200)).toBe(true);
      expect((await fetch(`${app.url}/api/health`)).status).toBe(200);
    } finally {
      for (const socket of stalled) socket.destroy();
    }
  });
});

// SIGTERM stops taking new connections, finishes the requests in flight and the mail being sent,
// then closes the pool and exits 0 (issue 11 item 6, ADR 0031).
import { afterAll, beforeAll, expect, it } from "vitest";
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
  // A slow mail server: each message is accepted 3 s after it arrives.
  [database, smtp] = await Promise.all([startSystemDatabase(), startSmtpCapture(0, { acceptDelayMs: 3_000 })]);
  fixtures = await systemFixtures(database.url);
  app = await startApp({ databaseUrl: database.url, env: { SMTP_URL: smtp.url } });
});

afterAll(async () => {
  await fixtures?.close();
  await Promise.all([app?.stop("SIGKILL"), smtp?.close()]);
  await database?.close();
});

it("finishes the request in flight and the mail being sent, refuses new connections, and exits 0", async () => {
  const client = await fixtures.client();
  const body = JSON.stringify(generateClientKeys({ preKeys: 5, pqPreKeys: 5 }).upload);
  const half = body.length >> 1;
  const encoder = new TextEncoder();

  // A request whose body is still arriving when the signal comes: certainly in flight.
  let sendRest!: () => void;
  const restSent = new Promise<void>((resolve) => (sendRest = resolve));
  const upload = fetch(`${app.url}/api/keys`, {
    method: "PUT",
    headers: { "content-type": "application/json", authorization: client.authorization },
    body: new ReadableStream({
      async start(controller) {
        controller.enqueue(encoder.encode(body.slice(0, half)));
        await restSent;
        controller.enqueue(encoder.encode(body.slice(half)));
        controller.close();
      },
    }),
    duplex: "half",
  } as RequestInit);

  const code = await fetch(`${app.url}/api/auth/code`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: "leaving@example.test" }),
  });
  expect(code.status).toBe(202);
  await new Promise((resolve) => setTimeout(resolve, 500)); // the mail is now with the slow server

  const exited = app.stop("SIGTERM");
  await new Promise((resolve) => setTimeout(resolve, 500));
  await expect(fetch(`${app.url}/api/health/live`, { headers: { connection: "close" } })).rejects.toThrow();
  sendRest();

  expect((await upload).status).toBe(204);
  expect(await exited).toBe(0);
  expect(app.output()).toContain("[server] stopped");
  expect(smtp.messages.map((mail) => mail.to).flat()).toEqual(["leaving@example.test"]);
  const rows = await sql<{ status: string }>(database.url, `SELECT status FROM outbox_messages`);
  expect(rows).toEqual([{ status: "SENT" }]);
  const [keys] = await sql<{ count: string }>(database.url, `SELECT count(*) FROM one_time_prekeys WHERE device_id = $1`, [client.deviceId]);
  expect(Number(keys!.count)).toBe(5);
});

it("stops, instead of spinning, once nothing reads its output (its supervisor died)", async () => {
  const orphan = await startApp({ databaseUrl: database.url, env: { OUTBOX_POLL_SECONDS: "1" } });
  // The reading ends of its stdout and stderr close, as when a killed test runner or supervisor
  // leaves its server behind; then the database goes away, so the outbox worker logs a failure
  // every second into the closed pipes.
  const gone = new Promise<"exited">((resolve) => orphan.process.once("exit", () => resolve("exited")));
  orphan.process.stdout?.destroy();
  orphan.process.stderr?.destroy();
  await database.stop();
  const exited = await Promise.race([
    gone,
    new Promise<"still running">((resolve) => setTimeout(() => resolve("still running"), 30_000)),
  ]);
  if (exited !== "exited") await orphan.stop("SIGKILL");
  expect(exited).toBe("exited");
});

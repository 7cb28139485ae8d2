// Mail and SMS queued while their servers are down are delivered when the servers return, by the
// outbox worker alone (no new traffic), each exactly once (issue 11 item 1, ADR 0030).
import { afterAll, beforeAll, expect, it } from "vitest";
import { startTwilioCapture, twilioSettings } from "../sms-capture";
import { startSmtpCapture } from "../smtp";
import { sql } from "./sql";
import { startApp, startSystemDatabase, type AppInstance, type SystemDatabase } from "./stack";

let database: SystemDatabase;
let smtp: Awaited<ReturnType<typeof startSmtpCapture>>;
let twilio: Awaited<ReturnType<typeof startTwilioCapture>>;
let app: AppInstance;

beforeAll(async () => {
  [database, smtp, twilio] = await Promise.all([startSystemDatabase(), startSmtpCapture(), startTwilioCapture()]);
  app = await startApp({
    databaseUrl: database.url,
    env: {
      SMTP_URL: smtp.url,
      ...twilioSettings(twilio.url),
      // Each request below comes from its own client address, so the per-IP limit stays out of the way.
      TRUSTED_PROXIES: "127.0.0.1",
    },
  });
});

afterAll(async () => {
  await Promise.all([app?.stop(), smtp?.close(), twilio?.close()]);
  await database?.close();
});

const addresses = Array.from({ length: 20 }, (_, index) => `waiting${index}@example.test`);
const phoneNumbers = Array.from({ length: 20 }, (_, index) => `+1415555${String(1000 + index)}`);

const requestCode = async (email: string, index: number) => {
  const response = await fetch(`${app.url}/api/auth/code`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": `203.0.113.${index + 1}` },
    body: JSON.stringify({ email }),
  });
  return response.status;
};

it("delivers mail and SMS queued during an outage of both servers once they return, each exactly once", async () => {
  // A first request while all is well, so the timing below is not a cold start's.
  expect(await requestCode("early@example.test", 100)).toBe(202);
  await smtp.waitForMail("early@example.test", () => true, 30_000);
  await Promise.all([smtp.close(), twilio.close()]);

  const started = Date.now();
  const statuses = await Promise.all(addresses.map(requestCode));
  expect(statuses).toEqual(addresses.map(() => 202));
  expect(Date.now() - started).toBeLessThan(5_000);
  // SMS leave through the same outbox; phone codes are asked for in the browser, so the rows are
  // written here as the sign-up transaction would write them.
  await sql(
    database.url,
    `INSERT INTO outbox_messages (id, channel, "to", text) SELECT gen_random_uuid(), 'SMS', phone, phone || ' code' FROM unnest($1::text[]) AS phone`,
    [phoneNumbers],
  );

  // Both servers are down: every message is still pending, no attempt used up on an unreachable server.
  await new Promise((resolve) => setTimeout(resolve, 7_000));
  const waiting = await sql<{ status: string; attempts: number; last_error: string | null }>(database.url, `SELECT status, attempts, last_error FROM outbox_messages`);
  expect(waiting.filter((row) => row.status === "PENDING")).toHaveLength(40);
  expect(waiting.filter((row) => row.status === "PENDING").every((row) => row.status === "PENDING" && row.attempts === 0 && row.last_error !== null)).toBe(true);

  const restarted = Date.now();
  [smtp, twilio] = await Promise.all([startSmtpCapture(smtp.port), startTwilioCapture(twilio.port)]);
  await Promise.all(addresses.map((address) => smtp.waitForMail(address, () => true, 30_000)));
  const deadline = restarted + 30_000;
  while (twilio.received.length < phoneNumbers.length && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
  expect(Date.now() - restarted).toBeLessThan(30_000);

  // Let any duplicate that was on its way arrive before counting.
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  expect(smtp.messages.flatMap((mail) => mail.to).sort()).toEqual([...addresses].sort()); // a new capture: "early" went to the old one
  expect(twilio.received.map((sms) => sms.form.get("To")).sort()).toEqual([...phoneNumbers].sort());
  const rows = await sql<{ status: string; count: string }>(database.url, `SELECT status, count(*) FROM outbox_messages GROUP BY status`);
  expect(rows).toEqual([{ status: "SENT", count: "41" }]);
});

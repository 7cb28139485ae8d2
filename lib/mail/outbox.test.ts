import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { prisma } from "../db";
import { resetDatabase } from "../../test/db";
import { startSmtpCapture } from "../../test/smtp";
import { startTwilioCapture, twilioSettings } from "../../test/sms-capture";
import { signUpMail } from "./templates";

// env() is read once per process: the transports are configured before anything reads it.
const smtp = await startSmtpCapture();
let twilio = await startTwilioCapture();
Object.assign(process.env, { SMTP_URL: smtp.url, ...twilioSettings(twilio.url) });
const { deliverOutbox, enqueueMail, enqueueSms, MAX_DELIVERY_ATTEMPTS } = await import("./outbox");

afterAll(async () => {
  await smtp.close();
  await twilio.close();
});
beforeEach(async () => {
  await resetDatabase();
  twilio.answerWith(201);
  twilio.received.length = 0;
});

describe("outbox delivery", () => {
  it("sends queued mail over SMTP after commit, HTML and text, code first in the subject; then clears the body", async () => {
    await prisma.$transaction((tx) => enqueueMail(tx, signUpMail("ada@example.test", "123456", "http://localhost:3000/verify-email/abc")));
    expect(await deliverOutbox()).toMatchObject({ sent: 1 });
    const mail = await smtp.waitForMail("ada@example.test");
    expect(mail.subject).toBe("123456 is your Latchkey code");
    expect(mail.text).toContain("Your code: 123456");
    expect(mail.text).toContain("http://localhost:3000/verify-email/abc");
    expect(mail.html).toContain("123456");
    expect(mail.html).toContain('href="http://localhost:3000/verify-email/abc"');
    const row = await prisma.outboxMessage.findFirstOrThrow();
    expect(row).toMatchObject({ status: "SENT", text: "", html: null, attempts: 1 });
    expect(row.sentAt).not.toBeNull();
  });

  it("writes nothing when the transaction that queued the mail rolls back", async () => {
    await prisma
      .$transaction(async (tx) => {
        await enqueueMail(tx, { to: "ada@example.test", subject: "x", text: "x" });
        throw new Error("rolled back");
      })
      .catch(() => undefined);
    expect(await prisma.outboxMessage.count()).toBe(0);
  });

  it("sends SMS through the Twilio-shaped provider with basic auth and form fields", async () => {
    await prisma.$transaction((tx) => enqueueSms(tx, { to: "+14155552671", text: "654321 is your Latchkey code." }, { requester: "ip:192.0.2.1" }));
    expect(await deliverOutbox()).toMatchObject({ sent: 1 });
    expect(twilio.received).toHaveLength(1);
    const [request] = twilio.received;
    expect(request!.path).toBe("/2010-04-01/Accounts/AC123/Messages.json");
    expect(request!.authorization).toBe(`Basic ${Buffer.from("AC123:secret-token").toString("base64")}`);
    expect(Object.fromEntries(request!.form)).toEqual({ To: "+14155552671", From: "+15005550006", Body: "654321 is your Latchkey code." });
    expect(await prisma.outboxMessage.findFirstOrThrow()).toMatchObject({ status: "SENT", text: "" });
  });

  it("retries a failed send with backoff and gives up after the last attempt", async () => {
    twilio.answerWith(400);
    await prisma.$transaction((tx) => enqueueSms(tx, { to: "+14155552671", text: "hello" }, { requester: "ip:192.0.2.1" }));
    expect(await deliverOutbox()).toMatchObject({ retrying: 1 });
    let row = await prisma.outboxMessage.findFirstOrThrow();
    expect(row).toMatchObject({ status: "PENDING", attempts: 1, text: "hello" });
    expect(row.lastError).toContain("400");
    expect(row.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() + 20_000);
    // Not due yet: nothing happens.
    expect(await deliverOutbox()).toEqual({ sent: 0, kept: 0, failed: 0, retrying: 0 });
    for (let attempt = 2; attempt <= MAX_DELIVERY_ATTEMPTS; attempt += 1) {
      await prisma.outboxMessage.updateMany({ data: { nextAttemptAt: new Date(Date.now() - 1000) } });
      await deliverOutbox();
    }
    row = await prisma.outboxMessage.findFirstOrThrow();
    expect(row).toMatchObject({ status: "FAILED", attempts: MAX_DELIVERY_ATTEMPTS });
    expect(twilio.received).toHaveLength(MAX_DELIVERY_ATTEMPTS);
  });

  it("keeps messages pending without using an attempt while their server cannot be reached, and rests that channel", async () => {
    await twilio.close();
    await prisma.$transaction(async (tx) => {
      for (let index = 0; index < 3; index += 1) await enqueueSms(tx, { to: `+1415555267${index}`, text: `m${index}` }, { requester: "ip:192.0.2.1" });
      await enqueueMail(tx, { to: "still@example.test", subject: "s", text: "t" });
    });
    // Three SMS go back to the queue after one failed connection; mail is not held up by it.
    expect(await deliverOutbox()).toMatchObject({ sent: 1, retrying: 3, failed: 0 });
    const held = await prisma.outboxMessage.findMany({ where: { channel: "SMS" } });
    expect(held.every((row) => row.status === "PENDING" && row.attempts === 0 && row.lastError !== null)).toBe(true);
    expect(Math.min(...held.map((row) => row.nextAttemptAt.getTime()))).toBeGreaterThan(Date.now() + 5_000);

    twilio = await startTwilioCapture(twilio.port);
    await prisma.outboxMessage.updateMany({ data: { nextAttemptAt: new Date(Date.now() - 1000) } });
    expect(await deliverOutbox()).toMatchObject({ sent: 3 });
    expect(twilio.received).toHaveLength(3);
  });

  it("delivers each message once when several deliveries run at the same time", async () => {
    await prisma.$transaction(async (tx) => {
      for (let index = 0; index < 15; index += 1) await enqueueMail(tx, { to: `m${index}@example.test`, subject: `s${index}`, text: "t" });
    });
    const before = smtp.messages.length;
    const reports = await Promise.all([deliverOutbox(), deliverOutbox(), deliverOutbox()]);
    expect(reports.reduce((sum, report) => sum + report.sent, 0)).toBe(15);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(smtp.messages.length - before).toBe(15);
  });
});

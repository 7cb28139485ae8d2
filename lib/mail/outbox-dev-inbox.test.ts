import { beforeEach, expect, it } from "vitest";
import { prisma } from "../db";
import { resetDatabase } from "../../test/db";
import { deliverOutbox, enqueueMail, enqueueSms } from "./outbox";

// No SMTP_URL and the default "outbox" SMS provider: the outbox is the developer's inbox.
beforeEach(resetDatabase);

it("keeps mail and SMS bodies in the outbox when no transport is configured", async () => {
  delete process.env.SMTP_URL;
  await prisma.$transaction(async (tx) => {
    await enqueueMail(tx, { to: "ada@example.test", subject: "123456 is your Latchkey code", text: "Your code: 123456", html: "<p>123456</p>" });
    await enqueueSms(tx, { to: "+14155552671", text: "123456 is your Latchkey code." }, { requester: "ip:192.0.2.1" });
  });
  expect(await deliverOutbox()).toMatchObject({ kept: 2, sent: 0 });
  const rows = await prisma.outboxMessage.findMany({ orderBy: { channel: "asc" } });
  expect(rows.map((row) => [row.channel, row.status, row.text])).toEqual([
    ["EMAIL", "SENT", "Your code: 123456"],
    ["SMS", "SENT", "123456 is your Latchkey code."],
  ]);
});

import { beforeEach, describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { prisma } from "../db";
import { createTestUser, resetDatabase } from "../../test/db";
import { ageSignIn, keyCount, lastMessageTo, publishKeys, signIn } from "../../test/settings-support";
import { claimBundles } from "../keys/claim";
import { issueCode } from "../verification/codes";
import { deleteOwnAccount, deleteOwnAccountWithCode } from "./delete-account";

const context = { ip: "198.51.100.4", userAgent: "delete test" };
const CONFIRM = { confirmation: "Delete my account" };

beforeEach(resetDatabase);

/** An account with a browser, a messaging client holding keys, a passkey and some history. */
async function fullAccount(email = `leaving-${randomBytes(3).toString("hex")}@example.test`) {
  const user = await createTestUser({ email });
  const browser = await signIn(user.id, "BROWSER", "Firefox");
  const client = await signIn(user.id, "CLIENT", "Signal");
  await publishKeys(client.device.id);
  await prisma.passkey.create({
    data: {
      userId: user.id,
      credentialId: randomBytes(16).toString("base64url"),
      publicKey: randomBytes(77),
      backedUp: true,
      deviceType: "MULTI_DEVICE",
      aaguid: "00000000-0000-0000-0000-000000000000",
      name: "Laptop",
    },
  });
  const history = await prisma.auditEvent.create({
    data: { action: "user.email_changed", userId: user.id, ip: "203.0.113.9", userAgent: "Firefox", metadata: { from: "old@example.test" } },
  });
  return { user, browser, client, history };
}

describe("deleting one's own account in the browser", () => {
  it("needs a recent sign-in and the typed confirmation; refused, nothing changes", async () => {
    const { user, browser } = await fullAccount();
    const stale = await ageSignIn(browser.session.id, 11);
    await expect(deleteOwnAccount(stale, CONFIRM, context)).rejects.toMatchObject({ code: "reauthentication_required" });
    await expect(deleteOwnAccount(browser.session, { confirmation: "delete" }, context)).rejects.toMatchObject({
      code: "confirmation_mismatch",
      details: { field: "confirmation" },
    });
    expect(await prisma.user.count({ where: { id: user.id } })).toBe(1);
    expect(await prisma.outboxMessage.count()).toBe(0);
  });

  it("erases every row of the account, keeps its security record without naming it, and sends a last notice", async () => {
    const { user, browser, client, history } = await fullAccount();
    const bystander = await fullAccount();

    await deleteOwnAccount(browser.session, CONFIRM, context);

    expect(await prisma.user.count({ where: { id: user.id } })).toBe(0);
    expect(await prisma.device.count({ where: { userId: user.id } })).toBe(0);
    expect(await prisma.session.count({ where: { userId: user.id } })).toBe(0);
    expect(await prisma.passkey.count({ where: { userId: user.id } })).toBe(0);
    expect(await keyCount(client.device.id)).toBe(0);
    expect(await prisma.auditEvent.findUniqueOrThrow({ where: { id: history.id } })).toMatchObject({
      userId: null,
      ip: "203.0.113.9",
      userAgent: null,
      metadata: {},
    });
    expect(await prisma.auditEvent.findFirstOrThrow({ where: { action: "account.deleted" } })).toMatchObject({
      userId: null,
      actorId: null,
      ip: context.ip,
      metadata: {},
    });
    expect((await lastMessageTo(user.email!))?.subject).toBe("Your Latchkey account was deleted");
    // Nobody else's rows moved.
    expect(await prisma.user.count({ where: { id: bystander.user.id } })).toBe(1);
    expect(await keyCount(bystander.client.device.id)).toBe(5);
    expect(await prisma.auditEvent.findUniqueOrThrow({ where: { id: bystander.history.id } })).toMatchObject({ userId: bystander.user.id });
  });

  it("refuses the last active admin", async () => {
    const admin = await createTestUser({ role: "ADMIN" });
    const { session } = await signIn(admin.id);
    await expect(deleteOwnAccount(session, CONFIRM, context)).rejects.toMatchObject({ code: "last_admin", status: 409 });
    await createTestUser({ role: "ADMIN" });
    await deleteOwnAccount(session, CONFIRM, context);
    expect(await prisma.user.count({ where: { id: admin.id } })).toBe(0);
  });

  it("racing claims of its keys: no orphan rows, and no key is served once it is gone", async () => {
    const { user, browser, client } = await fullAccount();
    const requesters = await Promise.all(Array.from({ length: 6 }, async () => signIn((await createTestUser()).id, "CLIENT")));
    const claim = (index: number) =>
      claimBundles({
        requesterUserId: requesters[index % 6]!.session.userId,
        requesterDeviceId: requesters[index % 6]!.device.id,
        targetUserId: user.id,
        deviceId: "*",
      }).then(
        () => "served",
        (error: { code?: string }) => error.code,
      );
    const racing = Array.from({ length: 12 }, (_, index) => claim(index));
    await deleteOwnAccount(browser.session, CONFIRM, context);
    const outcomes = await Promise.all(racing);
    expect(outcomes.every((outcome) => outcome === "served" || outcome === "not_found")).toBe(true);
    expect(await keyCount(client.device.id)).toBe(0);
    const orphans = await prisma.$queryRaw<{ count: number }[]>`
      SELECT (SELECT count(*) FROM devices WHERE user_id = ${user.id}::uuid)
           + (SELECT count(*) FROM one_time_prekeys k WHERE NOT EXISTS (SELECT 1 FROM devices d WHERE d.id = k.device_id))
           + (SELECT count(*) FROM kyber_prekeys k WHERE NOT EXISTS (SELECT 1 FROM devices d WHERE d.id = k.device_id))
           + (SELECT count(*) FROM sessions s WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = s.user_id)) AS count`;
    expect(Number(orphans[0]!.count)).toBe(0);
    expect(await claim(0)).toBe("not_found");
  });
});

describe("deleting one's own account from a messaging client", () => {
  it("takes a fresh sign-in code: a wrong one counts and changes nothing, the right one deletes", async () => {
    const { user, client } = await fullAccount();
    const { code } = await prisma.$transaction((tx) => issueCode(tx, { channel: "EMAIL", destination: user.email!, purpose: "SIGNIN", userId: user.id, requester: { key: "ip:192.0.2.1", known: true } }));
    const wrong = code === "000000" ? "111111" : "000000";
    await expect(deleteOwnAccountWithCode(client.session, wrong, context)).rejects.toMatchObject({
      code: "invalid_code",
      details: { reason: "wrong", attemptsLeft: 4 },
    });
    expect(await prisma.user.count({ where: { id: user.id } })).toBe(1);
    await deleteOwnAccountWithCode(client.session, code, context);
    expect(await prisma.user.count({ where: { id: user.id } })).toBe(0);
    await expect(deleteOwnAccountWithCode(client.session, code, context)).rejects.toThrow();
  });
});

import { beforeEach, describe, expect, it } from "vitest";
import { prisma } from "../db";
import { createTestDevice, createTestUser, resetDatabase } from "../../test/db";
import {
  authenticateBearerToken,
  createSession,
  endBrowserSession,
  findLiveSessionById,
  redeemSignInTicket,
  revokeAllSessions,
  revokeSession,
  type SessionKind,
} from "./sessions";

beforeEach(resetDatabase);

async function signedIn(kind: SessionKind) {
  const user = await createTestUser();
  const device = await createTestDevice(user.id, { kind });
  const session = await createSession(prisma, { userId: user.id, deviceId: device.id, kind });
  return { user, device, ...session };
}

const signedInClient = () => signedIn("CLIENT");
const signedInBrowser = () => signedIn("BROWSER");

describe("bearer sessions", () => {
  it("authenticates the token and stores only its hash", async () => {
    const { token, sessionId, user } = await signedInClient();
    const live = await authenticateBearerToken(token);
    expect(live?.id).toBe(sessionId);
    expect(live?.userId).toBe(user.id);
    const stored = await prisma.session.findUniqueOrThrow({ where: { id: sessionId } });
    expect(stored.tokenHash).not.toContain(token);
    expect(stored.tokenHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("records when the session and its device were last seen, at most once a minute", async () => {
    const { token, sessionId, device } = await signedInClient();
    const twoMinutesAgo = new Date(Date.now() - 120_000);
    await prisma.session.update({ where: { id: sessionId }, data: { lastSeenAt: twoMinutesAgo } });
    await prisma.device.update({ where: { id: device.id }, data: { lastSeenAt: twoMinutesAgo } });

    await authenticateBearerToken(token);
    const seen = await prisma.session.findUniqueOrThrow({ where: { id: sessionId }, include: { device: true } });
    expect(seen.lastSeenAt.getTime()).toBeGreaterThan(Date.now() - 10_000);
    expect(seen.device.lastSeenAt!.getTime()).toBeGreaterThan(Date.now() - 10_000);

    await authenticateBearerToken(token);
    const again = await prisma.session.findUniqueOrThrow({ where: { id: sessionId }, include: { device: true } });
    expect(again.lastSeenAt).toEqual(seen.lastSeenAt);
    expect(again.device.lastSeenAt).toEqual(seen.device.lastSeenAt);
  });

  it("rejects unknown, empty, expired, revoked-device and deactivated-user tokens at once", async () => {
    const { token: expiring, sessionId, device, user } = await signedInClient();
    expect(await authenticateBearerToken("")).toBeNull();
    expect(await authenticateBearerToken(`${expiring}x`)).toBeNull();

    // An expired token ends for good (ADR 0068): its row goes, so no later change revives it.
    await prisma.session.update({ where: { id: sessionId }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await authenticateBearerToken(expiring)).toBeNull();
    expect(await prisma.session.count({ where: { id: sessionId } })).toBe(0);
    const { token } = await createSession(prisma, { userId: user.id, deviceId: device.id, kind: "CLIENT" });
    expect(await authenticateBearerToken(token)).not.toBeNull();

    await prisma.device.update({ where: { id: device.id }, data: { revoked: true } });
    expect(await authenticateBearerToken(token)).toBeNull();
    await prisma.device.update({ where: { id: device.id }, data: { revoked: false } });

    await prisma.user.update({ where: { id: user.id }, data: { isActive: false } });
    expect(await authenticateBearerToken(token)).toBeNull();
  });

  it("revokes only the owner's session", async () => {
    const { token, sessionId, user } = await signedInClient();
    const stranger = await createTestUser();
    expect(await revokeSession(stranger.id, sessionId)).toBe(false);
    expect(await authenticateBearerToken(token)).not.toBeNull();
    expect(await revokeSession(user.id, sessionId)).toBe(true);
    expect(await authenticateBearerToken(token)).toBeNull();
  });

  it("revokes every other session and keeps the current one", async () => {
    const { user, device, sessionId } = await signedInClient();
    const other = await createSession(prisma, { userId: user.id, deviceId: device.id, kind: "CLIENT" });
    expect(await revokeAllSessions(user.id, prisma, sessionId)).toBe(1);
    expect(await findLiveSessionById(sessionId)).not.toBeNull();
    expect(await findLiveSessionById(other.sessionId)).toBeNull();
  });
});

describe("browser sign-in tickets", () => {
  it("redeem once: the stored hash is replaced, so the ticket matches nothing afterwards", async () => {
    const { token, sessionId } = await signedInBrowser();
    const before = await prisma.session.findUniqueOrThrow({ where: { id: sessionId } });
    expect((await redeemSignInTicket(token))?.id).toBe(sessionId);
    const after = await prisma.session.findUniqueOrThrow({ where: { id: sessionId } });
    expect(after.tokenHash).not.toBe(before.tokenHash);
    expect(after.ticketRedeemedAt).not.toBeNull();
    expect(await redeemSignInTicket(token)).toBeNull();
    expect(await findLiveSessionById(sessionId)).not.toBeNull();
  });

  it("redeem once even when raced", async () => {
    const { token } = await signedInBrowser();
    const results = await Promise.all(Array.from({ length: 10 }, () => redeemSignInTicket(token)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it("expire after two minutes", async () => {
    const { token, sessionId } = await signedInBrowser();
    await prisma.session.update({ where: { id: sessionId }, data: { createdAt: new Date(Date.now() - 121_000) } });
    expect(await redeemSignInTicket(token)).toBeNull();
  });

  it("are no bearer tokens, before or after redemption", async () => {
    const { token } = await signedInBrowser();
    expect(await authenticateBearerToken(token)).toBeNull();
    expect(await redeemSignInTicket(token)).not.toBeNull();
    expect(await authenticateBearerToken(token)).toBeNull();
  });

  it("cannot be a client's bearer token", async () => {
    const { token } = await signedInClient();
    expect(await redeemSignInTicket(token)).toBeNull();
    expect(await authenticateBearerToken(token)).not.toBeNull();
    expect(await redeemSignInTicket("")).toBeNull();
  });
});

describe("browser sign-out", () => {
  it("ends the session and records it once in the account's activity", async () => {
    const { sessionId, user, device } = await signedInBrowser();
    await endBrowserSession(sessionId, { ip: "203.0.113.5", userAgent: "test" });
    expect(await findLiveSessionById(sessionId)).toBeNull();
    await endBrowserSession(sessionId);
    expect(await prisma.auditEvent.findMany({ where: { action: "user.signed_out" } })).toMatchObject([
      { userId: user.id, deviceId: device.id, ip: "203.0.113.5" },
    ]);
  });
});

describe("idle timeouts (ADR 0068)", () => {
  const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);

  it("a browser session unused for 30 minutes ends at its next request, with the reason recorded once", async () => {
    const { sessionId, user, device } = await signedInBrowser();
    await prisma.session.update({ where: { id: sessionId }, data: { lastSeenAt: minutesAgo(29) } });
    expect(await findLiveSessionById(sessionId)).not.toBeNull(); // used: the clock starts again
    expect((await prisma.session.findUniqueOrThrow({ where: { id: sessionId } })).lastSeenAt.getTime()).toBeGreaterThan(Date.now() - 10_000);
    await prisma.session.update({ where: { id: sessionId }, data: { lastSeenAt: minutesAgo(31) } });
    expect(await Promise.all([findLiveSessionById(sessionId), findLiveSessionById(sessionId)])).toEqual([null, null]);
    expect(await prisma.session.count()).toBe(0);
    expect(await prisma.auditEvent.findMany({ where: { action: "session.idle_timeout" } })).toMatchObject([{ userId: user.id, deviceId: device.id }]);
  });

  it("a client's token keeps working through a month unused and is revoked after 90 days", async () => {
    const { token, sessionId } = await signedInClient();
    await prisma.session.update({ where: { id: sessionId }, data: { lastSeenAt: minutesAgo(31 * 24 * 60) } });
    expect(await authenticateBearerToken(token)).not.toBeNull();
    await prisma.session.update({ where: { id: sessionId }, data: { lastSeenAt: minutesAgo(91 * 24 * 60), expiresAt: minutesAgo(-60) } });
    expect(await authenticateBearerToken(token)).toBeNull();
    expect(await prisma.session.count()).toBe(0);
    expect(await prisma.auditEvent.count({ where: { action: "session.idle_timeout" } })).toBe(1);
  });

  it("an expired session ends with its own reason", async () => {
    const { sessionId } = await signedInBrowser();
    await prisma.session.update({ where: { id: sessionId }, data: { expiresAt: minutesAgo(1) } });
    expect(await findLiveSessionById(sessionId)).toBeNull();
    expect(await prisma.auditEvent.count({ where: { action: "session.expired" } })).toBe(1);
  });
});

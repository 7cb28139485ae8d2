import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { prisma } from "../db";
import { authenticateBearerToken, endBrowserSession, findLiveSessionById } from "../auth/sessions";
import { createTestUser, resetDatabase } from "../../test/db";
import { groupDevices, listAccountDevices, renameAccountDevice, signedInElsewhere, signOutDevice, signOutEverywhereElse } from "./devices";
import { clearInjectedFailures, injectFailure, keyCount, publishKeys, signIn } from "../../test/settings-support";

beforeEach(resetDatabase);
afterEach(clearInjectedFailures);

async function accountWithBrowserAndClient() {
  const user = await createTestUser();
  const browser = await signIn(user.id, "BROWSER", "Firefox on Linux");
  const client = await signIn(user.id, "CLIENT", "Signal on Pixel");
  await publishKeys(client.device.id);
  return { user, browser, client };
}

describe("device list", () => {
  it("shows browsers and messaging clients alike, the caller's own marked, revoked ones gone", async () => {
    const { user, browser, client } = await accountWithBrowserAndClient();
    const revoked = await signIn(user.id, "CLIENT", "Old phone");
    await signOutDevice(browser.session, revoked.device.id);

    const devices = await listAccountDevices(browser.session);
    expect(devices.map((device) => device.name).sort()).toEqual(["Firefox on Linux", "Signal on Pixel"]);
    const current = devices.find((device) => device.isCurrent);
    expect(current?.id).toBe(browser.device.id);
    const other = devices.find((device) => device.id === client.device.id);
    expect(other).toMatchObject({ kind: "CLIENT", isCurrent: false, signedIn: true, hasKeys: true });
    expect(other?.firstSeenAt).toBeInstanceOf(Date);
    expect(other?.lastSeenAt).toBeInstanceOf(Date);
    expect(other).toMatchObject({ formFactor: "app", software: null });
  });

  it("tells what a browser is from its newest session's User-Agent", async () => {
    const { user, browser } = await accountWithBrowserAndClient();
    const iphone = await signIn(user.id, "BROWSER", "Renamed by its owner");
    await prisma.session.updateMany({
      where: { deviceId: iphone.device.id },
      data: { userAgent: "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1" },
    });
    const devices = await listAccountDevices(browser.session);
    expect(devices.find((device) => device.id === iphone.device.id)).toMatchObject({ name: "Renamed by its owner", formFactor: "phone", software: "Safari on iPhone" });
    // A browser whose sessions sent no User-Agent is shown as a computer, with nothing named.
    expect(devices.find((device) => device.id === browser.device.id)).toMatchObject({ formFactor: "computer", software: null });
  });

  it("lists only the caller's own devices", async () => {
    const { browser } = await accountWithBrowserAndClient();
    const stranger = await createTestUser();
    await signIn(stranger.id, "CLIENT", "Stranger's phone");
    const names = (await listAccountDevices(browser.session)).map((device) => device.name);
    expect(names).not.toContain("Stranger's phone");
  });

  it("says why a device's last session ended: after a time without use, or signed out (ADR 68)", async () => {
    const { user, browser } = await accountWithBrowserAndClient();
    const idle = await signIn(user.id, "BROWSER", "Chrome on Mac");
    await prisma.session.update({ where: { id: idle.session.id }, data: { lastSeenAt: new Date(Date.now() - 31 * 60_000) } });
    expect(await findLiveSessionById(idle.session.id)).toBeNull();
    const left = await signIn(user.id, "BROWSER", "Safari on iPhone");
    await endBrowserSession(left.session.id);

    const devices = await listAccountDevices(browser.session);
    expect(devices.find((device) => device.id === idle.device.id)).toMatchObject({ signedIn: false, signedOutBecause: "idle" });
    expect(devices.find((device) => device.id === left.device.id)).toMatchObject({ signedIn: false, signedOutBecause: "signed_out" });
    expect(devices.find((device) => device.id === browser.device.id)).toMatchObject({ signedIn: true, signedOutBecause: null });
  });
});

describe("devices page: active devices first, signed-out browsers as history", () => {
  it("puts this device first, tells devices apart by their address, and files browsers without a live session under history", async () => {
    const { user, browser, client } = await accountWithBrowserAndClient();
    const kitchen = await signIn(user.id, "BROWSER", "Chrome on Linux");
    await prisma.session.update({ where: { id: kitchen.session.id }, data: { ip: "203.0.113.7" } });
    const signedOut = await signIn(user.id, "BROWSER", "Chrome on Linux");
    await endBrowserSession(signedOut.session.id);
    // Idle for longer than SESSION_IDLE_MINUTES but never touched since, so its row is still there.
    const stale = await signIn(user.id, "BROWSER", "Chrome on Linux");
    await prisma.session.update({ where: { id: stale.session.id }, data: { lastSeenAt: new Date(Date.now() - 31 * 60_000) } });
    // A messaging app keeps its keys after its token expires: it stays among the active devices.
    await prisma.session.updateMany({ where: { deviceId: client.device.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await prisma.device.update({ where: { id: browser.device.id }, data: { lastSeenAt: new Date(Date.now() - 3_600_000) } });

    const devices = await listAccountDevices(browser.session);
    const { active, signedOut: history } = groupDevices(devices);
    // Seen an hour ago, after the others by activity, yet first: it is the one in hand.
    expect(active[0]!.id).toBe(browser.device.id);
    expect(active.map((device) => device.id).sort()).toEqual([browser.device.id, client.device.id, kitchen.device.id].sort());
    expect(history.map((device) => device.id).sort()).toEqual([signedOut.device.id, stale.device.id].sort());
    expect(history.every((device) => !device.signedIn)).toBe(true);
    expect(active.find((device) => device.id === kitchen.device.id)?.ipAddress).toBe("203.0.113.7");
    // Sessions created without a request context have no address to show.
    expect(active.find((device) => device.id === browser.device.id)?.ipAddress).toBeNull();
    expect(signedInElsewhere(devices)).toBe(true);
  });

  it("has nothing to sign out elsewhere when the other devices are only signed-out browsers", async () => {
    const user = await createTestUser();
    const here = await signIn(user.id, "BROWSER", "Firefox on Linux");
    const gone = await signIn(user.id, "BROWSER", "Chrome on Linux");
    await endBrowserSession(gone.session.id);
    expect(signedInElsewhere(await listAccountDevices(here.session))).toBe(false);
  });
});

describe("ownership: a crafted request naming another user's device changes nothing", () => {
  it("sign out: 404 No such device, the device, its sessions and its keys untouched", async () => {
    const { browser } = await accountWithBrowserAndClient();
    const victim = await accountWithBrowserAndClient();

    await expect(signOutDevice(browser.session, victim.client.device.id)).rejects.toMatchObject({ status: 404, message: "No such device." });
    const device = await prisma.device.findUniqueOrThrow({ where: { id: victim.client.device.id } });
    expect(device.revoked).toBe(false);
    expect(await authenticateBearerToken(victim.client.token)).not.toBeNull();
    expect(await keyCount(victim.client.device.id)).toBe(5);
    expect(await prisma.auditEvent.count()).toBe(0);
  });

  it("rename: 404 No such device, the name untouched", async () => {
    const { browser } = await accountWithBrowserAndClient();
    const victim = await accountWithBrowserAndClient();
    await expect(renameAccountDevice(browser.session, { deviceId: victim.client.device.id, name: "pwned" })).rejects.toMatchObject({
      status: 404,
    });
    expect((await prisma.device.findUniqueOrThrow({ where: { id: victim.client.device.id } })).name).toBe("Signal on Pixel");
  });

  it("an unknown device id is the same 404", async () => {
    const { browser } = await accountWithBrowserAndClient();
    await expect(signOutDevice(browser.session, "00000000-0000-4000-8000-000000000000")).rejects.toMatchObject({ status: 404 });
  });
});

describe("signing out one device", () => {
  it("ends its sessions at once (browser and API token) and deletes its keys", async () => {
    const { user, browser, client } = await accountWithBrowserAndClient();
    const otherBrowser = await signIn(user.id, "BROWSER", "Chrome on Mac");

    await signOutDevice(browser.session, client.device.id);
    expect(await authenticateBearerToken(client.token)).toBeNull();
    expect(await keyCount(client.device.id)).toBe(0);

    await signOutDevice(browser.session, otherBrowser.device.id);
    expect(await findLiveSessionById(otherBrowser.session.id)).toBeNull();
    expect(await prisma.session.count({ where: { deviceId: otherBrowser.device.id } })).toBe(0);

    expect(await findLiveSessionById(browser.session.id)).not.toBeNull();
    const audit = await prisma.auditEvent.findMany({ where: { userId: user.id, action: "device.revoked" } });
    expect(audit.map((event) => event.deviceId).sort()).toEqual([client.device.id, otherBrowser.device.id].sort());
  });

  it("renames the caller's own device, trimmed, audited", async () => {
    const { browser, client } = await accountWithBrowserAndClient();
    await renameAccountDevice(browser.session, { deviceId: client.device.id, name: "  Work phone " });
    expect((await prisma.device.findUniqueOrThrow({ where: { id: client.device.id } })).name).toBe("Work phone");
    expect(await prisma.auditEvent.count({ where: { action: "device.renamed" } })).toBe(1);
  });
});

describe("sign out everywhere else", () => {
  it("is offered only while another device is signed in: a client, or a browser with a session", async () => {
    const { user, browser, client } = await accountWithBrowserAndClient();
    expect(signedInElsewhere(await listAccountDevices(browser.session))).toBe(true);
    await signOutDevice(browser.session, client.device.id);
    expect(signedInElsewhere(await listAccountDevices(browser.session))).toBe(false);
    const other = await signIn(user.id, "BROWSER", "Chrome on Mac");
    expect(signedInElsewhere(await listAccountDevices(browser.session))).toBe(true);
    await prisma.session.deleteMany({ where: { id: other.session.id } }); // signed out, device kept
    expect(signedInElsewhere(await listAccountDevices(browser.session))).toBe(false);
  });

  it("revokes every other device and session and keeps only the caller's", async () => {
    const { user, browser, client } = await accountWithBrowserAndClient();
    const otherBrowser = await signIn(user.id, "BROWSER", "Chrome on Mac");
    const { createSession } = await import("../auth/sessions");
    const secondTab = await createSession(prisma, { userId: user.id, deviceId: browser.device.id, kind: "BROWSER" });
    const stranger = await accountWithBrowserAndClient();

    expect(await signOutEverywhereElse(browser.session)).toEqual({ devicesRevoked: 2, sessionsEnded: 1 });

    expect(await findLiveSessionById(browser.session.id)).not.toBeNull();
    expect(await findLiveSessionById(secondTab.sessionId)).toBeNull();
    expect(await findLiveSessionById(otherBrowser.session.id)).toBeNull();
    expect(await authenticateBearerToken(client.token)).toBeNull();
    expect(await keyCount(client.device.id)).toBe(0);
    expect((await listAccountDevices(browser.session)).map((device) => device.id)).toEqual([browser.device.id]);
    expect(await prisma.auditEvent.count({ where: { userId: user.id, action: "session.revoked_all_others" } })).toBe(1);

    expect(await authenticateBearerToken(stranger.client.token)).not.toBeNull();
    expect(await findLiveSessionById(stranger.browser.session.id)).not.toBeNull();
  });

  it("is one transaction: a failure half-way leaves every device signed in", async () => {
    const { user, browser, client } = await accountWithBrowserAndClient();
    const otherBrowser = await signIn(user.id, "BROWSER", "Chrome on Mac");
    // Each device's audit event is written after that device is revoked and its keys deleted.
    await injectFailure("audit_events", "INSERT");

    await expect(signOutEverywhereElse(browser.session)).rejects.toThrow();
    await clearInjectedFailures();
    expect(await authenticateBearerToken(client.token)).not.toBeNull();
    expect(await findLiveSessionById(otherBrowser.session.id)).not.toBeNull();
    expect(await keyCount(client.device.id)).toBe(5);
    expect(await prisma.device.count({ where: { userId: user.id, revoked: true } })).toBe(0);
  });
});

describe("last seen", () => {
  it("is written at most once a minute per session, however many requests arrive", async () => {
    const { client } = await accountWithBrowserAndClient();
    const twoMinutesAgo = new Date(Date.now() - 120_000);
    await prisma.session.update({ where: { id: client.session.id }, data: { lastSeenAt: twoMinutesAgo } });
    await prisma.device.update({ where: { id: client.device.id }, data: { lastSeenAt: twoMinutesAgo } });
    // Count the row writes themselves: a trigger tallies every UPDATE of the session row.
    await prisma.$executeRawUnsafe(`CREATE TABLE IF NOT EXISTS injected_writes (n int)`);
    await prisma.$executeRawUnsafe(`
      CREATE OR REPLACE FUNCTION injected_count() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN INSERT INTO injected_writes VALUES (1); RETURN NEW; END $$`);
    await prisma.$executeRawUnsafe(`CREATE TRIGGER injected_count AFTER UPDATE ON sessions FOR EACH ROW EXECUTE FUNCTION injected_count()`);

    await Promise.all(Array.from({ length: 10 }, () => authenticateBearerToken(client.token)));
    const after = await prisma.session.findUniqueOrThrow({ where: { id: client.session.id } });
    expect(after.lastSeenAt.getTime()).toBeGreaterThan(twoMinutesAgo.getTime());
    const device = await prisma.device.findUniqueOrThrow({ where: { id: client.device.id } });
    expect(device.lastSeenAt!.getTime()).toBe(after.lastSeenAt.getTime());

    // Within the minute, more requests write nothing.
    await Promise.all(Array.from({ length: 5 }, () => authenticateBearerToken(client.token)));
    const [tally] = await prisma.$queryRawUnsafe<{ writes: bigint }[]>(`SELECT count(*) AS writes FROM injected_writes`);
    expect(Number(tally?.writes)).toBe(1);
    expect((await prisma.session.findUniqueOrThrow({ where: { id: client.session.id } })).lastSeenAt).toEqual(after.lastSeenAt);
  });
});

import { randomBytes } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { prisma } from "../db";
import { createTestUser, resetDatabase } from "../../test/db";
import { signIn } from "../../test/settings-support";
import { hashPassword } from "../auth/password";
import { accountOverview, OVERVIEW_EVENTS } from "./overview";

beforeEach(resetDatabase);

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);

async function addPasskey(userId: string, name: string) {
  await prisma.passkey.create({
    data: { userId, credentialId: randomBytes(16).toString("base64url"), publicKey: randomBytes(77), backedUp: true, deviceType: "MULTI_DEVICE", aaguid: "00000000-0000-0000-0000-000000000000", name },
  });
}

describe("the account at a glance", () => {
  it("for a new account signed up by email code: the address, nothing else set up, this browser only", async () => {
    const user = await createTestUser({ email: "ada@example.test" });
    const { session } = await signIn(user.id);
    const overview = await accountOverview(session);
    expect(overview.signInMethods).toEqual({ email: { address: "ada@example.test", verified: true }, phone: null, hasPassword: false, passkeys: 0 });
    expect(overview.devices).toEqual({ signedIn: 1, latestElsewhere: null });
    expect(overview.recentEvents).toEqual([]);
  });

  it("counts what is set up, formats the number for people, and names the other device seen last", async () => {
    const user = await createTestUser({ phoneNumber: "+447911123456", phoneVerified: true, password: await hashPassword("plum-kettle-orbit-94") });
    await addPasskey(user.id, "Laptop");
    await addPasskey(user.id, "Phone");
    const { session } = await signIn(user.id, "BROWSER", "This browser");
    const tablet = await signIn(user.id, "BROWSER", "Tablet");
    const client = await signIn(user.id, "CLIENT", "Messaging app");
    await prisma.device.update({ where: { id: tablet.device.id }, data: { lastSeenAt: minutesAgo(90) } });
    await prisma.device.update({ where: { id: client.device.id }, data: { lastSeenAt: minutesAgo(2) } });
    // A browser that signed out keeps its device row but is not signed in.
    const gone = await signIn(user.id, "BROWSER", "Old laptop");
    await prisma.session.deleteMany({ where: { deviceId: gone.device.id } });
    await prisma.device.update({ where: { id: gone.device.id }, data: { lastSeenAt: minutesAgo(1) } });

    const overview = await accountOverview(session);
    expect(overview.signInMethods).toMatchObject({ phone: "+44 7911 123456", hasPassword: true, passkeys: 2 });
    expect(overview.devices.signedIn).toBe(3);
    expect(overview.devices.latestElsewhere).toMatchObject({ name: "Messaging app", kind: "CLIENT" });
    expect(JSON.stringify(overview)).not.toContain("argon2");
  });

  it("leaves out a number that is not confirmed", async () => {
    const user = await createTestUser({ phoneNumber: "+447911123456", phoneVerified: false });
    const { session } = await signIn(user.id);
    expect((await accountOverview(session)).signInMethods.phone).toBeNull();
  });

  it("shows the account's own newest security events, a few of them", async () => {
    const user = await createTestUser();
    const stranger = await createTestUser();
    const { session } = await signIn(user.id);
    for (let minute = 10; minute > 0; minute -= 1) {
      await prisma.auditEvent.create({ data: { userId: user.id, action: "user.signed_in", createdAt: minutesAgo(minute) } });
    }
    await prisma.auditEvent.create({ data: { userId: user.id, action: "user.password_set", createdAt: new Date() } });
    await prisma.auditEvent.create({ data: { userId: stranger.id, action: "user.password_changed", createdAt: new Date() } });

    const events = (await accountOverview(session)).recentEvents;
    expect(events).toHaveLength(OVERVIEW_EVENTS);
    expect(events.map((event) => event.action)).toEqual(["user.password_set", ...Array(OVERVIEW_EVENTS - 1).fill("user.signed_in")]);
    expect(events[1]!.createdAt.getTime()).toBeGreaterThan(events[2]!.createdAt.getTime());
  });
});

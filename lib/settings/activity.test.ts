import { beforeEach, describe, expect, it } from "vitest";
import { prisma } from "../db";
import { createTestUser, resetDatabase } from "../../test/db";
import { listSecurityActivity } from "./activity";

beforeEach(resetDatabase);

describe("security activity", () => {
  it("pages through the account's own events, newest first, each once, ties broken by id", async () => {
    const user = await createTestUser();
    const stranger = await createTestUser();
    const base = Date.now() - 3_600_000;
    // 45 events over 15 distinct instants: three share each timestamp, so the id must break ties.
    await prisma.auditEvent.createMany({
      data: Array.from({ length: 45 }, (_, index) => ({
        action: "user.signed_in",
        userId: user.id,
        createdAt: new Date(base + Math.floor(index / 3) * 1000),
      })),
    });
    await prisma.auditEvent.create({ data: { action: "user.signed_in", userId: stranger.id } });

    const seen: { id: string; createdAt: Date }[] = [];
    let cursor: string | null = null;
    const sizes: number[] = [];
    do {
      const page: Awaited<ReturnType<typeof listSecurityActivity>> = await listSecurityActivity(user.id, { cursor, limit: 20 });
      sizes.push(page.events.length);
      seen.push(...page.events);
      cursor = page.nextCursor;
    } while (cursor);

    expect(sizes).toEqual([20, 20, 5]);
    expect(new Set(seen.map((event) => event.id)).size).toBe(45);
    const expected = await prisma.auditEvent.findMany({
      where: { userId: user.id },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      select: { id: true },
    });
    expect(seen.map((event) => event.id)).toEqual(expected.map((event) => event.id));
  });

  it("events added while paging do not shift the later pages", async () => {
    const user = await createTestUser();
    await prisma.auditEvent.createMany({
      data: Array.from({ length: 4 }, (_, index) => ({ action: "device.created", userId: user.id, createdAt: new Date(Date.now() - (index + 1) * 60_000) })),
    });
    const first = await listSecurityActivity(user.id, { limit: 2 });
    await prisma.auditEvent.create({ data: { action: "user.signed_in", userId: user.id } });
    const second = await listSecurityActivity(user.id, { cursor: first.nextCursor, limit: 2 });
    expect(second.events.map((event) => event.id)).not.toContain(first.events[1]!.id);
    expect(second.events).toHaveLength(2);
    expect(second.nextCursor).toBeNull();
  });

  it("marks events an admin did to the account", async () => {
    const user = await createTestUser();
    const admin = await createTestUser({ role: "ADMIN" });
    await prisma.auditEvent.create({ data: { action: "admin.device_revoked", userId: user.id, actorId: admin.id } });
    await prisma.auditEvent.create({ data: { action: "device.revoked", userId: user.id, actorId: user.id } });
    const { events } = await listSecurityActivity(user.id);
    expect(events.map((event) => [event.action, event.byAdmin]).sort()).toEqual([
      ["admin.device_revoked", true],
      ["device.revoked", false],
    ]);
  });

  it("refuses a forged cursor with a clear error", async () => {
    const user = await createTestUser();
    await expect(listSecurityActivity(user.id, { cursor: "garbage" })).rejects.toMatchObject({ code: "invalid_cursor", status: 400 });
  });
});

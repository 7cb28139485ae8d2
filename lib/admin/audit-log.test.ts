import { beforeEach, describe, expect, it } from "vitest";
import { prisma } from "../db";
import { createTestUser, resetDatabase } from "../../test/db";
import { AUDIT_PAGE_SIZE, auditLogQuerySchema, listAuditEvents } from "./audit-log";

beforeEach(resetDatabase);

const query = (input: Record<string, unknown> = {}) => auditLogQuerySchema.parse(input);

describe("listAuditEvents", () => {
  it("filters by actor and target (email or id), action and UTC days", async () => {
    const admin = await createTestUser({ role: "ADMIN" });
    const user = await createTestUser();
    const at = (iso: string) => new Date(iso);
    await prisma.auditEvent.createMany({
      data: [
        { action: "admin.user_deactivated", userId: user.id, actorId: admin.id, createdAt: at("2026-03-01T10:00:00Z") },
        { action: "admin.user_reactivated", userId: user.id, actorId: admin.id, createdAt: at("2026-03-02T10:00:00Z") },
        { action: "user.signed_in", userId: user.id, actorId: user.id, createdAt: at("2026-03-03T23:59:00Z") },
        { action: "user.signed_in", userId: admin.id, actorId: admin.id, createdAt: at("2026-03-04T00:00:00Z") },
      ],
    });
    const actions = async (input: Record<string, unknown>) => (await listAuditEvents(query(input))).events.map((event) => event.action);

    expect(await actions({})).toHaveLength(4);
    expect(await actions({ actor: admin.email!.toUpperCase() })).toEqual(["user.signed_in", "admin.user_reactivated", "admin.user_deactivated"]);
    expect(await actions({ target: user.id, actor: admin.id })).toEqual(["admin.user_reactivated", "admin.user_deactivated"]);
    expect(await actions({ action: "user.signed_in", target: user.email })).toEqual(["user.signed_in"]);
    expect(await actions({ from: "2026-03-02", to: "2026-03-03" })).toEqual(["user.signed_in", "admin.user_reactivated"]);
    // An unknown account matches nothing rather than everything; an unknown action is ignored.
    expect(await actions({ actor: "nobody@example.test" })).toEqual([]);
    expect(await actions({ action: "drop_tables" })).toHaveLength(4);
  });

  it("pages newest first with a cursor, without repeats or gaps, even when events share a timestamp", async () => {
    const user = await createTestUser();
    const createdAt = new Date("2026-03-01T10:00:00Z");
    await prisma.auditEvent.createMany({
      data: Array.from({ length: AUDIT_PAGE_SIZE + 5 }, () => ({ action: "user.signed_in", userId: user.id, createdAt })),
    });
    const first = await listAuditEvents(query());
    expect(first.events).toHaveLength(AUDIT_PAGE_SIZE);
    expect(first.nextCursor).not.toBeNull();
    const second = await listAuditEvents(query({ before: first.nextCursor }));
    expect(second.events).toHaveLength(5);
    expect(second.nextCursor).toBeNull();
    expect(new Set([...first.events, ...second.events].map((event) => event.id)).size).toBe(AUDIT_PAGE_SIZE + 5);
  });
});

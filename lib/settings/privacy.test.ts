import { beforeEach, describe, expect, it } from "vitest";
import { prisma } from "../db";
import { createTestDevice, createTestUser, resetDatabase } from "../../test/db";
import { updateDiscoverySettings } from "./privacy";
import { discoverySettingsSchema } from "./schemas";

beforeEach(resetDatabase);

describe("updateDiscoverySettings", () => {
  it("starts with username discovery on and phone discovery off", async () => {
    const user = await createTestUser();
    expect(user).toMatchObject({ discoverableByUsername: true, discoverableByPhone: false });
  });

  it("saves both switches and audits the change with the new values", async () => {
    const user = await createTestUser();
    const device = await createTestDevice(user.id, { kind: "BROWSER" });
    await updateDiscoverySettings({ userId: user.id, deviceId: device.id }, { discoverableByUsername: false, discoverableByPhone: true }, { ip: "203.0.113.9" });
    expect(await prisma.user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({ discoverableByUsername: false, discoverableByPhone: true });
    const [event] = await prisma.auditEvent.findMany({ where: { userId: user.id } });
    expect(event).toMatchObject({ action: "user.discovery_changed", deviceId: device.id, metadata: { discoverableByUsername: false, discoverableByPhone: true } });
  });

  it("accepts only two booleans", () => {
    expect(discoverySettingsSchema.safeParse({ discoverableByUsername: true, discoverableByPhone: false }).success).toBe(true);
    expect(discoverySettingsSchema.safeParse({ discoverableByUsername: "on", discoverableByPhone: false }).success).toBe(false);
    expect(discoverySettingsSchema.safeParse({ discoverableByUsername: true }).success).toBe(false);
  });
});

import { beforeEach, describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { prisma } from "../db";
import { createTestDevice, createTestUser, resetDatabase } from "../../test/db";

beforeEach(resetDatabase);

const bytes = (length: number) => new Uint8Array(randomBytes(length));

describe("schema on PostgreSQL", () => {
  it("keeps emails and usernames unique case-insensitively: only lower case is stored", async () => {
    await createTestUser({ email: "ada@example.test", username: "ada" });
    await expect(createTestUser({ email: "ada@example.test" })).rejects.toThrow();
    await expect(createTestUser({ email: "Ada@Example.test" })).rejects.toThrow(/users_email_lower_check|check constraint/i);
    await expect(createTestUser({ username: "ADA" })).rejects.toThrow(/users_username_lower_check|check constraint/i);
  });

  it("keeps phone numbers unique", async () => {
    await createTestUser({ phoneNumber: "+14155550100" });
    await expect(createTestUser({ phoneNumber: "+14155550100" })).rejects.toThrow();
  });

  it("refuses a code whose attempts exceed its maximum or go negative", async () => {
    const base = {
      channel: "EMAIL" as const,
      destination: "a@example.test",
      purpose: "SIGNUP" as const,
      codeHash: "x",
      expiresAt: new Date(Date.now() + 600_000),
    };
    const code = await prisma.oneTimeCode.create({ data: { ...base, maxAttempts: 5 } });
    await expect(prisma.oneTimeCode.update({ where: { id: code.id }, data: { attempts: 5 } })).resolves.toBeTruthy();
    await expect(prisma.oneTimeCode.update({ where: { id: code.id }, data: { attempts: 6 } })).rejects.toThrow();
    await expect(prisma.oneTimeCode.update({ where: { id: code.id }, data: { attempts: -1 } })).rejects.toThrow();
  });

  it("deletes everything that belongs to a user with the user", async () => {
    const user = await createTestUser();
    const device = await createTestDevice(user.id);
    const deviceId = device.id;
    await prisma.session.create({
      data: { userId: user.id, deviceId, kind: "CLIENT", tokenHash: "h", expiresAt: new Date(Date.now() + 60_000) },
    });
    await prisma.identityKey.create({ data: { deviceId, publicKey: bytes(33), registrationId: 1 } });
    await prisma.signedPreKey.create({
      data: { deviceId, keyId: 1, publicKey: bytes(33), signature: bytes(64), expiresAt: new Date(Date.now() + 86_400_000) },
    });
    await prisma.oneTimePreKey.create({ data: { deviceId, keyId: 1, publicKey: bytes(33) } });
    await prisma.kyberPreKey.create({ data: { deviceId, keyId: 1, publicKey: bytes(1569), signature: bytes(64) } });
    await prisma.kyberLastResortKey.create({ data: { deviceId, keyId: 2, publicKey: bytes(1569), signature: bytes(64) } });
    await prisma.oneTimeCode.create({
      data: { channel: "EMAIL", destination: user.email!, purpose: "SIGNIN", codeHash: "x", expiresAt: new Date(), userId: user.id },
    });
    await prisma.linkToken.create({
      data: { purpose: "PASSWORD_RESET", tokenHash: "t", userId: user.id, expiresAt: new Date() },
    });
    await prisma.auditEvent.create({ data: { action: "user.signed_in", userId: user.id } });
    const other = await createTestUser();
    await createTestDevice(other.id);

    await prisma.user.delete({ where: { id: user.id } });

    const remaining = await Promise.all([
      prisma.device.count({ where: { userId: user.id } }),
      prisma.session.count({ where: { userId: user.id } }),
      prisma.identityKey.count({ where: { deviceId } }),
      prisma.signedPreKey.count({ where: { deviceId } }),
      prisma.oneTimePreKey.count({ where: { deviceId } }),
      prisma.kyberPreKey.count({ where: { deviceId } }),
      prisma.kyberLastResortKey.count({ where: { deviceId } }),
      prisma.oneTimeCode.count({ where: { userId: user.id } }),
      prisma.linkToken.count({ where: { userId: user.id } }),
      prisma.auditEvent.count({ where: { userId: user.id } }),
    ]);
    expect(remaining).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(await prisma.device.count({ where: { userId: other.id } })).toBe(1);
  });

  it("keeps one identity key and one last-resort key per device, and key ids unique per device", async () => {
    const user = await createTestUser();
    const { id: deviceId } = await createTestDevice(user.id);
    await prisma.identityKey.create({ data: { deviceId, publicKey: bytes(33), registrationId: 1 } });
    await expect(prisma.identityKey.create({ data: { deviceId, publicKey: bytes(33), registrationId: 2 } })).rejects.toThrow();
    await prisma.oneTimePreKey.create({ data: { deviceId, keyId: 7, publicKey: bytes(33) } });
    await expect(prisma.oneTimePreKey.create({ data: { deviceId, keyId: 7, publicKey: bytes(33) } })).rejects.toThrow();
  });
});

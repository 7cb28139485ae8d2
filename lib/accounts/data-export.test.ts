import { describe, expect, it } from "vitest";
import { prisma } from "../db";
import { createTestUser } from "../../test/db";
import { exportAccountData } from "./data-export";

// The data export names the user and everything of theirs, and carries no secret: every stored
// hash, key and token of the account is checked for, value by value, in the serialized file.

describe("exportAccountData", () => {
  it("holds the profile, devices, sessions, passkeys and activity, and no secret value anywhere", async () => {
    const user = await createTestUser({ password: "$argon2id$v=19$secret-hash", signUpBrowserHash: "browser-hash-secret" });
    const device = await prisma.device.create({ data: { userId: user.id, name: "Ada's laptop", kind: "BROWSER", browserKeyHash: "device-cookie-hash" } });
    await prisma.session.create({
      data: { userId: user.id, deviceId: device.id, kind: "BROWSER", tokenHash: "session-token-hash", expiresAt: new Date(Date.now() + 3_600_000) },
    });
    await prisma.passkey.create({
      data: {
        userId: user.id, credentialId: "credential-id-secret", publicKey: Buffer.from("cose-public-key"), transports: ["internal"],
        backedUp: true, deviceType: "MULTI_DEVICE", aaguid: "00000000-0000-0000-0000-000000000000", name: "Phone passkey",
      },
    });
    await prisma.auditEvent.create({ data: { action: "auth.sign_in", userId: user.id, deviceId: device.id, metadata: { note: "metadata-secret" } } });

    const exported = await exportAccountData(user.id);
    const file = JSON.stringify(exported);

    expect(exported.profile).toMatchObject({ id: user.id, email: user.email, username: user.username });
    expect(exported.devices).toEqual([expect.objectContaining({ id: device.id, name: "Ada's laptop" })]);
    expect(exported.sessions).toHaveLength(1);
    expect(exported.passkeys).toEqual([{ name: "Phone passkey", createdAt: expect.any(Date), lastUsedAt: null }]);
    expect(exported.securityActivity).toEqual([expect.objectContaining({ action: "auth.sign_in", byAdmin: false })]);
    for (const secret of [
      "secret-hash", "browser-hash-secret", "device-cookie-hash", "session-token-hash", "credential-id-secret",
      Buffer.from("cose-public-key").toString("base64"), "metadata-secret",
    ]) {
      expect(file).not.toContain(secret);
    }
    for (const field of ["password", "tokenHash", "browserKeyHash", "signUpBrowserHash", "credentialId", "publicKey", "metadata"]) {
      expect(file).not.toContain(`"${field}"`);
    }
  });
});

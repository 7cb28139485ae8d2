import { beforeEach, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { prisma } from "../db";
import { createTestUser, resetDatabase } from "../../test/db";
import { createOrPromoteAdmin } from "./create-admin";

beforeEach(resetDatabase);

describe("createOrPromoteAdmin", () => {
  it("creates an admin account for a new address, normalised, with no password", async () => {
    const { outcome, userId } = await createOrPromoteAdmin("  Boss@Example.TEST ");
    expect(outcome).toBe("created");
    const user = await prisma.user.findUniqueOrThrow({ where: { id: userId } });
    expect(user).toMatchObject({ email: "boss@example.test", role: "ADMIN", password: null, emailVerified: false });
    expect(await prisma.auditEvent.findMany({ where: { userId } })).toMatchObject([
      { action: "admin.user_promoted", metadata: { reason: "admin:create", created: true } },
    ]);
  });

  it("promotes an existing account once, and says so when it is already an admin", async () => {
    const user = await createTestUser();
    expect((await createOrPromoteAdmin(user.email!)).outcome).toBe("promoted");
    expect((await prisma.user.findUniqueOrThrow({ where: { id: user.id } })).role).toBe("ADMIN");
    expect((await createOrPromoteAdmin(user.email!)).outcome).toBe("already_admin");
    expect(await prisma.auditEvent.count()).toBe(1);
  });

  it("refuses something that is not an email address", async () => {
    await expect(createOrPromoteAdmin("not-an-address")).rejects.toBeInstanceOf(ZodError);
    expect(await prisma.user.count()).toBe(0);
  });
});

import { describe, expect, it } from "vitest";
import { prisma } from "../db";
import { checkReadiness } from "./readiness";

describe("checkReadiness (GET /api/health)", () => {
  it("is ready when every shipped migration is applied, and not when one is missing", async () => {
    expect(await checkReadiness()).toEqual({ ready: true });
    const [latest] = await prisma.$queryRaw<{ migration_name: string }[]>`
      SELECT migration_name FROM _prisma_migrations ORDER BY migration_name DESC LIMIT 1`;
    await prisma.$executeRaw`UPDATE _prisma_migrations SET finished_at = NULL WHERE migration_name = ${latest!.migration_name}`;
    const readiness = await checkReadiness();
    expect(readiness.ready).toBe(false);
    expect(readiness).toMatchObject({ reason: expect.stringContaining(latest!.migration_name) });
  });
});

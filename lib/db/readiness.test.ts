import pg from "pg";
import { describe, expect, it } from "vitest";
import { createTestUser } from "../../test/db";
import { errorResponse } from "../api/responses";
import { disconnectPrisma, prisma } from "../db";
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
    await prisma.$executeRaw`UPDATE _prisma_migrations SET finished_at = now() WHERE migration_name = ${latest!.migration_name}`;
  });

  it("is not ready on a read-only node, whose writes answer 503 with Retry-After instead of 500", async () => {
    // A hot standby, or a primary Patroni is demoting, behaves as a database whose every
    // transaction is read-only: SQLSTATE 25006 "cannot execute … in a read-only transaction".
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    const setReadOnly = async (on: boolean) => {
      await admin.query(`ALTER DATABASE "${admin.database}" ${on ? "SET default_transaction_read_only = on" : "RESET default_transaction_read_only"}`);
      await disconnectPrisma(); // the next query opens connections that take the new default
    };
    try {
      await setReadOnly(true);
      expect(await checkReadiness()).toEqual({ ready: false, reason: expect.stringContaining("read-only") });
      const failures = await Promise.all([
        createTestUser().then(() => null, (error: unknown) => error),
        prisma.$transaction(async (tx) => tx.$executeRaw`UPDATE users SET name = name`).then(() => null, (error: unknown) => error),
      ]);
      for (const failure of failures) {
        expect(String(failure)).toMatch(/read-only transaction/);
        const response = errorResponse(failure);
        expect(response.status).toBe(503);
        expect(response.headers.get("retry-after")).toBe("5");
      }
    } finally {
      await setReadOnly(false);
      await admin.end();
    }
    expect(await checkReadiness()).toEqual({ ready: true });
  });
});

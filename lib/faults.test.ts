import { describe, expect, it } from "vitest";
import { errorResponse } from "./api/responses";
import { prisma } from "./db";
import { isDatabaseUnavailable, isTransportUnreachable } from "./faults";

const socketError = (code: string) => Object.assign(new Error(`connect ${code} 127.0.0.1:5432`), { code, syscall: "connect", errno: -111 });

describe("isDatabaseUnavailable", () => {
  it("recognises a restart or an unreachable server however deeply the driver wraps it", () => {
    expect(isDatabaseUnavailable(socketError("ECONNREFUSED"))).toBe(true);
    expect(isDatabaseUnavailable(new Error("wrapped", { cause: { kind: "postgres", code: "57P03", message: "the database system is starting up" } }))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error("Transaction API error"), { code: "P2028", meta: { driverAdapterError: { cause: { kind: "DatabaseNotReachable" } } } }))).toBe(true);
    expect(isDatabaseUnavailable(new Error("timeout exceeded when trying to connect"))).toBe(true);
  });

  it("recognises a transaction that expired while PostgreSQL stalled (a failover), which Prisma rolled back", async () => {
    const stalled = await prisma
      .$transaction(async (tx) => {
        await tx.$executeRaw`SELECT pg_sleep(0.3)`;
        await tx.user.count();
      }, { timeout: 100 })
      .then(() => null, (error: unknown) => error);
    expect(String(stalled)).toMatch(/expired transaction/);
    expect(isDatabaseUnavailable(stalled)).toBe(true);
  });

  it("leaves a user's mistake or a plain bug alone", () => {
    expect(isDatabaseUnavailable(new TypeError("Cannot read properties of null"))).toBe(false);
    expect(isDatabaseUnavailable(Object.assign(new Error("Unique constraint failed"), { code: "P2002" }))).toBe(false);
  });
});

describe("isTransportUnreachable", () => {
  it("tells a server that is down from one that refused the message", () => {
    expect(isTransportUnreachable(Object.assign(new Error("Connection refused"), { code: "ESOCKET" }))).toBe(true);
    expect(isTransportUnreachable(new TypeError("fetch failed", { cause: socketError("ECONNREFUSED") }))).toBe(true);
    expect(isTransportUnreachable(new Error("Twilio answered 400: Invalid 'To' Phone Number"))).toBe(false);
    expect(isTransportUnreachable(Object.assign(new Error("Message rejected"), { code: "EMESSAGE", responseCode: 550 }))).toBe(false);
  });
});

describe("errorResponse for an outage", () => {
  it("answers 503 service_unavailable with Retry-After instead of 500", async () => {
    const response = errorResponse(socketError("ECONNREFUSED"));
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("5");
    expect(await response.json()).toMatchObject({ error: { code: "service_unavailable" } });
  });
});

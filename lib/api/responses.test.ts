import { describe, expect, it, vi } from "vitest";
import { AppError, RateLimitedError } from "../errors";
import { describeZodError, errorResponse } from "./responses";
import { tokenRequestSchema } from "./schemas";

describe("errorResponse", () => {
  it("answers an AppError with its status and code", async () => {
    const response = errorResponse(new AppError("key_id_conflict", "keyId 4 is taken.", 409));
    expect(response.status).toBe(409);
    expect(await response.json()).toEqual({ error: { code: "key_id_conflict", message: "keyId 4 is taken." } });
  });

  it("adds Retry-After to a 429", () => {
    const response = errorResponse(new RateLimitedError(42));
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBe("42");
  });

  it("answers anything else with a plain 500 naming a request id that the log repeats, and no detail", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const response = errorResponse(new Error("connection to 10.0.0.5 refused; password=hunter2"));
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(response.status).toBe(500);
    expect(body.error.code).toBe("internal_error");
    expect(body.error.message).not.toMatch(/hunter2|10\.0\.0\.5|at /);
    const requestId = /request ([0-9a-f-]{36})/.exec(body.error.message)![1]!;
    expect(String(log.mock.calls[0]![0])).toContain(requestId);
    log.mockRestore();
  });
});

describe("describeZodError on the token request's union (first factor or two-step challenge)", () => {
  it("names the closest branch's problem instead of a bare 'Invalid input'", () => {
    const message = (body: unknown) => {
      const result = tokenRequestSchema.safeParse(body);
      return result.success ? "" : describeZodError(result.error);
    };
    expect(message({ email: "a@example.test", code: "123456", deviceName: "\u202Eexe.gnp" })).toMatch(/^deviceName: .*text-direction/);
    expect(message({ email: "a@example.test", code: "12", deviceName: "Phone" })).toMatch(/^code: /);
    expect(message({ challenge: "x" })).toMatch(/totp or recoveryCode/);
  });
});

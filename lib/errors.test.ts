import { describe, expect, it } from "vitest";
import { RateLimitedError, formatWait } from "./errors";

describe("formatWait", () => {
  it.each([
    [1, "1 second"],
    [59, "59 seconds"],
    [60, "60 seconds"],
    [90, "90 seconds"],
    [91, "2 minutes"],
    [900, "15 minutes"],
    [3600, "60 minutes"],
  ])("%i s → %s", (seconds, text) => {
    expect(formatWait(seconds)).toBe(text);
  });

  it("is what a rate-limit error tells the person, with the wait for Retry-After", () => {
    const error = new RateLimitedError(42);
    expect(error.message).toBe("Too many attempts. Try again in 42 seconds.");
    expect(error.status).toBe(429);
    expect(error.retryAfterSeconds).toBe(42);
  });
});

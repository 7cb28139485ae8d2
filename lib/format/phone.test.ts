import { describe, expect, it } from "vitest";
import { humanPhoneNumber } from "./phone";

describe("humanPhoneNumber", () => {
  it("writes a stored E.164 number in the international format people read", () => {
    expect(humanPhoneNumber("+447700900123")).toBe("+44 7700 900123");
    expect(humanPhoneNumber("+4915123456789")).toBe("+49 1512 3456789");
  });

  it("leaves a value it cannot parse as it is", () => {
    expect(humanPhoneNumber("not a number")).toBe("not a number");
  });
});

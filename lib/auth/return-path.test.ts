import { describe, expect, it } from "vitest";
import { safeReturnPath, signInUrl } from "./return-path";

describe("safeReturnPath", () => {
  it.each(["/home", "/settings/email", "/settings/devices?tab=all", "/onboarding#top"])("keeps the same-site path %s", (path) => {
    expect(safeReturnPath(path)).toBe(path);
  });

  it.each([
    ["nothing", ""],
    ["a protocol-relative URL", "//evil.example"],
    ["an absolute URL", "https://evil.example/home"],
    ["a scheme without slashes", "javascript:alert(1)"],
    ["a backslash that browsers read as a slash", "/\\evil.example"],
    ["an encoded double slash", "/%2F%2Fevil.example"],
    ["an encoded backslash", "/%5Cevil.example"],
    ["a tab that URL parsers strip", "/\t/evil.example"],
    ["a newline", "/home\nSet-Cookie: x=1"],
    ["an encoded control character", "/home%0d%0a"],
    ["a relative path", "home"],
    ["broken percent-encoding", "/%E0%A4%A"],
    ["the sign-in page itself", "/sign-in?next=/home"],
    ["the API", "/api/keys"],
    ["a very long path", `/${"a".repeat(600)}`],
  ])("refuses %s", (_, path) => {
    expect(safeReturnPath(path)).toBeNull();
  });

  it("refuses null and undefined", () => {
    expect(safeReturnPath(null)).toBeNull();
    expect(safeReturnPath(undefined)).toBeNull();
  });
});

describe("signInUrl", () => {
  it("carries a safe path and drops an unsafe one", () => {
    expect(signInUrl("/settings/email")).toBe("/sign-in?next=%2Fsettings%2Femail");
    expect(signInUrl("//evil.example")).toBe("/sign-in");
    expect(signInUrl(null)).toBe("/sign-in");
  });
});

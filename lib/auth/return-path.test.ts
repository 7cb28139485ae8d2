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

  // Issue 22, item 3: each of these reaches another host once a browser or the server normalises it.
  it.each([
    "/.//evil.example/phish",
    "/..//evil.example",
    "/././/evil.example",
    "/a/..//evil.example",
    "/a/../..//evil.example",
    "/%2e//evil.example",
    "/%2E%2E//evil.example",
    "/.%2f/evil.example",
    "/%2e%2f%2fevil.example",
    "/.%5C/evil.example",
    "/./\\evil.example",
    "/%252f%252fevil.example",
    "/%25%32%66%25%32%66evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/.\r//evil.example",
    "///evil.example",
    "/\\/evil.example",
    "http:evil.example",
    "https:/evil.example",
    "JavaScript:alert(1)",
    " /home",
    "/home ",
    "\u0000/home",
    "data:text/html,<script>alert(1)</script>",
    "/%73ign-in",
    "/SIGN-IN",
    "/./sign-in",
  ])("refuses %j", (path) => {
    expect(safeReturnPath(path)).toBeNull();
  });

  it("never returns a path that leaves the site, over thousands of generated spellings", () => {
    const pieces = ["/", "/", ".", "..", "%2e", "%2E", "%2f", "%2F", "%5c", "\\", "\t", "%09", "%252f", "evil.example", "a", "?", "#", "@", ":"];
    let state = 7;
    const random = () => ((state = (state * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const base = "https://latchkey.test";
    for (let run = 0; run < 20_000; run += 1) {
      const candidate = "/" + Array.from({ length: 1 + Math.floor(random() * 7) }, () => pieces[Math.floor(random() * pieces.length)]).join("");
      const safe = safeReturnPath(candidate);
      if (safe === null) continue;
      expect(new URL(safe, base).origin, candidate).toBe(base);
      expect(safe.startsWith("//") || safe.startsWith("/\\"), candidate).toBe(false);
      // What the browser does with the decoded form must stay on the site too.
      expect(new URL(decodeURIComponent(safe), base).origin, candidate).toBe(base);
    }
  });

  it("keeps harmless dot segments, normalised", () => {
    expect(safeReturnPath("/settings/./email")).toBe("/settings/email");
    expect(safeReturnPath("/settings/x/../devices")).toBe("/settings/devices");
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

import { describe, expect, it } from "vitest";
import { refuseForeignActionOrigin } from "./action-origin";

describe("refuseForeignActionOrigin", () => {
  const same = { host: "latchkey.test", origin: "https://latchkey.test" };

  it("lets a same-origin call and a call without Origin through", () => {
    expect(refuseForeignActionOrigin("/sign-in", same)).toBeNull();
    expect(refuseForeignActionOrigin("/sign-in", { host: "latchkey.test" })).toBeNull();
    expect(refuseForeignActionOrigin("/sign-in", { host: "localhost:3000", origin: "http://localhost:3000" })).toBeNull();
  });

  it("compares with the first X-Forwarded-Host when there is one, as Next does", () => {
    expect(refuseForeignActionOrigin("/", { host: "10.0.0.5:3000", "x-forwarded-host": "latchkey.test, proxy", origin: "https://latchkey.test" })).toBeNull();
    expect(refuseForeignActionOrigin("/", { host: "latchkey.test", "x-forwarded-host": "other.test", origin: "https://latchkey.test" })?.status).toBe(403);
  });

  it.each([
    ["a foreign site", "https://evil.example"],
    ["the same host on another port", "https://latchkey.test:8443"],
    ["an opaque origin", "null"],
    ["an origin that is not a URL", "not a url"],
    ["an empty origin", ""],
  ])("refuses %s with a 403, never a 500", (_, origin) => {
    const refused = refuseForeignActionOrigin("/settings/email", { host: "latchkey.test", origin });
    expect(refused?.status).toBe(403);
    expect(refused?.body).toMatch(/another site/);
  });
});

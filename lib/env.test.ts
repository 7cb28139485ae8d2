import { describe, expect, it } from "vitest";
import { InvalidEnvironmentError, parseEnv } from "./env";

describe("APP_URL and passkeys", () => {
  it.each(["http://localhost:3000", "http://app.localhost:8080", "https://accounts.example.com", "https://example.com:8443/"])(
    "accepts %s",
    (url) => {
      expect(parseEnv({ APP_URL: url }).APP_URL).toBe(url);
    },
  );

  it.each([
    ["http://127.0.0.1:3000", /not an IP address/],
    ["https://10.0.0.5", /not an IP address/],
    ["http://[::1]:3000", /not an IP address/],
    ["http://accounts.example.com", /must be https/],
  ])("refuses %s at start-up, naming APP_URL", (url, reason) => {
    expect(() => parseEnv({ APP_URL: url })).toThrow(InvalidEnvironmentError);
    expect(() => parseEnv({ APP_URL: url })).toThrow(reason);
    expect(() => parseEnv({ APP_URL: url })).toThrow(/APP_URL/);
  });
});

describe("branding settings", () => {
  it("default to Latchkey's own, and refuse a logo from another site or a colour that is not #rrggbb", () => {
    expect(parseEnv({})).toMatchObject({ PRODUCT_NAME: "Latchkey", PRODUCT_LOGO_URL: "/logo.svg" });
    expect(parseEnv({ PRODUCT_NAME: " Acme ", PRODUCT_LOGO_URL: "/brand/acme.svg", ACCENT_COLOR: "#AA3300" })).toMatchObject({
      PRODUCT_NAME: "Acme",
      PRODUCT_LOGO_URL: "/brand/acme.svg",
      ACCENT_COLOR: "#aa3300",
    });
    expect(() => parseEnv({ PRODUCT_LOGO_URL: "https://evil.example/logo.svg" })).toThrow(/PRODUCT_LOGO_URL/);
    expect(() => parseEnv({ PRODUCT_LOGO_URL: "//evil.example/logo.svg" })).toThrow(/PRODUCT_LOGO_URL/);
    expect(() => parseEnv({ ACCENT_COLOR: "red; background:url(x)" })).toThrow(/ACCENT_COLOR/);
  });
});

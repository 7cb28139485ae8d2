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

describe("OIDC_PROVIDERS", () => {
  it("is empty by default and resolves presets and custom providers", () => {
    expect(parseEnv({}).OIDC_PROVIDERS).toEqual([]);
    const providers = parseEnv({
      OIDC_PROVIDERS: JSON.stringify([
        { preset: "google", clientId: "g", clientSecret: "gs" },
        { preset: "microsoft", tenant: "contoso.onmicrosoft.com", clientId: "m", clientSecret: "ms", trustAmr: true },
        { id: "acme", name: "Acme SSO", issuer: "https://sso.acme.example/", clientId: "a", clientSecret: "as" },
      ]),
    }).OIDC_PROVIDERS;
    expect(providers).toEqual([
      { id: "google", name: "Google", issuer: "https://accounts.google.com", clientId: "g", clientSecret: "gs", trustAmr: false },
      { id: "microsoft", name: "Microsoft", issuer: "https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0", clientId: "m", clientSecret: "ms", trustAmr: true },
      { id: "acme", name: "Acme SSO", issuer: "https://sso.acme.example", clientId: "a", clientSecret: "as", trustAmr: false },
    ]);
  });

  it.each([
    ["not JSON", "{"],
    ["a provider without a secret", JSON.stringify([{ preset: "google", clientId: "g" }])],
    ["the ticket provider's id", JSON.stringify([{ id: "ticket", name: "T", issuer: "https://t.example", clientId: "t", clientSecret: "s" }])],
    ["one id twice", JSON.stringify([{ preset: "google", clientId: "a", clientSecret: "b" }, { preset: "google", clientId: "c", clientSecret: "d" }])],
  ])("refuses %s at start-up, naming OIDC_PROVIDERS", (_what, value) => {
    expect(() => parseEnv({ OIDC_PROVIDERS: value })).toThrow(/OIDC_PROVIDERS/);
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

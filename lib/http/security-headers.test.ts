import { describe, expect, it } from "vitest";
import { API_CONTENT_SECURITY_POLICY, STRICT_TRANSPORT_SECURITY, apiSecurityHeaders, isApiPath } from "./security-headers";

describe("isApiPath", () => {
  it.each(["/api", "/api/", "/api/keys/count", "/./api/keys", "/%2e/api/keys", "/x/../api/keys", "/%61pi/keys", "//api/keys", "/api\\keys"])(
    "%s may reach an API route",
    (path) => expect(isApiPath(path)).toBe(true),
  );

  it.each(["/", "/sign-in", "/apix", "/API/keys", "/settings/api", "/%E0%A4%A", "/api-docs"])("%s is not an API path", (path) =>
    expect(isApiPath(path)).toBe(false),
  );
});

describe("apiSecurityHeaders", () => {
  it("forbids caching every API answer but the OpenAPI document and health, and adds HSTS over https", () => {
    expect(apiSecurityHeaders("/api/auth/token", false)).toEqual({ "Content-Security-Policy": API_CONTENT_SECURITY_POLICY, "Cache-Control": "no-store" });
    expect(apiSecurityHeaders("/api/openapi.json", false)).toEqual({ "Content-Security-Policy": API_CONTENT_SECURITY_POLICY });
    expect(apiSecurityHeaders("/api/health", true)).toEqual({
      "Content-Security-Policy": API_CONTENT_SECURITY_POLICY,
      "Strict-Transport-Security": STRICT_TRANSPORT_SECURITY,
    });
  });
});

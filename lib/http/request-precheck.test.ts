import { describe, expect, it } from "vitest";
import { allowedApiMethods, precheckRequest } from "./request-precheck";

describe("precheckRequest", () => {
  it("answers a malformed percent-encoding with a 400: JSON under /api, text elsewhere", () => {
    const api = precheckRequest("GET", "/api/devices/%C0%AF");
    expect(api).toMatchObject({ status: 400, headers: { "Content-Type": "application/json" } });
    expect(JSON.parse(api!.body)).toMatchObject({ error: { code: "invalid_path" } });
    expect(precheckRequest("GET", "/reset/%E0%A4%A")).toMatchObject({ status: 400, headers: { "Content-Type": "text/plain; charset=utf-8", "X-Frame-Options": "DENY" } });
  });

  it("refuses TRACE, TRACK and CONNECT everywhere", () => {
    for (const method of ["TRACE", "TRACK", "CONNECT"]) expect(precheckRequest(method, "/")?.status).toBe(405);
    expect(precheckRequest("TRACE", "/api/auth/code")?.headers.Allow).toBe("OPTIONS, POST");
  });

  it("answers a wrong method on a known API route with a JSON 405 and Allow, and leaves the rest to Next", () => {
    expect(allowedApiMethods("/api/devices/abc")).toEqual(["DELETE", "OPTIONS"]);
    expect(allowedApiMethods("/api/devices")).toEqual(["GET", "HEAD", "OPTIONS"]);
    expect(precheckRequest("PATCH", "/api/devices/abc")).toMatchObject({ status: 405, headers: { Allow: "DELETE, OPTIONS" } });
    expect(precheckRequest("POST", "/api/auth/code?x=1")).toBeNull();
    expect(precheckRequest("GET", "/api/auth/session")).toBeNull();
    expect(precheckRequest("GET", "/api/nope")).toBeNull();
    expect(precheckRequest("POST", "/settings")).toBeNull();
  });
});

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

  it("answers OPTIONS * with Allow and refuses any other request target that is not a path (issue 26)", () => {
    expect(precheckRequest("OPTIONS", "*")).toMatchObject({ status: 204, headers: { Allow: "GET, HEAD, POST, PUT, DELETE, OPTIONS" } });
    for (const [method, target] of [["GET", "*"], ["DELETE", "*/x"], ["GET", "x"], ["GET", "evil.example:443"]]) {
      expect(precheckRequest(method, target)?.status, `${method} ${target}`).toBe(400);
    }
    expect(precheckRequest("GET", "http://127.0.0.1/home")).toBeNull();
  });

  it("answers /api itself with a JSON 404 for every method", () => {
    for (const target of ["/api", "/api/", "/api?x=1", "/x/../api", "//api/"]) {
      for (const method of ["GET", "PUT", "POST"]) {
        const refused = precheckRequest(method, target);
        expect(refused?.status, `${method} ${target}`).toBe(404);
        expect(JSON.parse(refused!.body)).toMatchObject({ error: { code: "not_found" } });
      }
    }
  });

  it("judges the method on the path Next routes to: dot segments, escapes, doubled slashes", () => {
    for (const target of ["/api/../api/health", "/api/./health", "/x/../api/health", "/%2e/api/health", "//api//health"]) {
      expect(precheckRequest("POST", target), target).toMatchObject({ status: 405, headers: { Allow: "GET, HEAD, OPTIONS" } });
      expect(precheckRequest("GET", target), target).toBeNull();
    }
  });

  it("knows next-auth's routes under /api/auth at any depth", () => {
    expect(precheckRequest("DELETE", "/api/auth/session")).toMatchObject({ status: 405, headers: { Allow: "GET, HEAD, OPTIONS, POST" } });
    expect(precheckRequest("PUT", "/api/auth/callback/ticket")?.status).toBe(405);
    expect(precheckRequest("POST", "/api/auth/callback/ticket")).toBeNull();
    expect(precheckRequest("POST", "/api/auth/code")).toBeNull();
    expect(precheckRequest("GET", "/api/auth/code")).toMatchObject({ status: 405, headers: { Allow: "OPTIONS, POST" } });
  });
});

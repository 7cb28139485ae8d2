import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { endpoints } from "./api/endpoints";
import type { RouteHandler } from "./api/route";
import { openApiDocument } from "./openapi";
import { findClientApiRouteFiles, loadRoutes, startApiServer } from "../test/http-server";

const document = openApiDocument();
const routes = await loadRoutes();
const server = await startApiServer();
afterAll(() => server.close());

type Operation = { requestBody?: { content: { "application/json": { schema: Record<string, unknown> } } }; responses: Record<string, Record<string, unknown>>; security: unknown[] };
const operationOf = (path: string, method: string) => (document.paths[path] as Record<string, Operation> | undefined)?.[method.toLowerCase()];

// Follows a "#/components/schemas/X" reference to the schema it names.
function resolve(schema: Record<string, unknown>): Record<string, unknown> {
  const ref = schema.$ref;
  return typeof ref === "string" ? document.components.schemas[ref.replace("#/components/schemas/", "")]! : schema;
}

describe("the OpenAPI document", () => {
  it("describes every route of app/api (except next-auth, admin and health), each with the endpoint its handler serves", () => {
    expect(routes.map((route) => route.file).sort()).toEqual(findClientApiRouteFiles().sort());
    const served = new Set<unknown>();
    for (const route of routes) {
      for (const [method, handler] of Object.entries(route.handlers)) {
        const endpoint = (handler as RouteHandler).endpoint;
        expect(endpoints, `${method} ${route.file} is built with route() from an endpoint in lib/api/endpoints.ts`).toContain(endpoint);
        expect({ method: endpoint.method, path: endpoint.path }).toEqual({ method, path: route.pattern });
        expect(operationOf(route.pattern, method), `${method} ${route.pattern} is in the document`).toBeDefined();
        served.add(endpoint);
      }
    }
    // Nothing is documented that no route serves.
    expect(endpoints.filter((endpoint) => !served.has(endpoint))).toEqual([]);
  });

  it("documents each request body as the very schema the route validates with", () => {
    for (const route of routes) {
      for (const [method, handler] of Object.entries(route.handlers)) {
        const { body } = (handler as RouteHandler).endpoint;
        const documented = operationOf(route.pattern, method)!.requestBody?.content["application/json"].schema;
        if (!body) {
          expect(documented).toBeUndefined();
          continue;
        }
        const converted = z.toJSONSchema(body, { io: "input" }) as { $ref?: string; $defs?: Record<string, unknown> };
        const expected = converted.$ref ? converted.$defs![converted.$ref.replace("#/$defs/", "")] : converted;
        const rewritten = JSON.parse(JSON.stringify(expected).replaceAll('"#/$defs/', '"#/components/schemas/')) as Record<string, unknown>;
        expect(resolve(documented!)).toEqual(rewritten);
      }
    }
  });

  it("lists the success and every error status with the error shape, Retry-After on 429 and the bearer scheme", () => {
    expect(document.openapi).toBe("3.1.0");
    expect(document.components.securitySchemes.bearerToken).toMatchObject({ type: "http", scheme: "bearer" });
    for (const endpoint of endpoints) {
      const operation = operationOf(endpoint.path, endpoint.method)!;
      const statuses = Object.keys(operation.responses).map(Number).sort();
      expect(statuses).toEqual([endpoint.success.status, ...Object.keys(endpoint.errors).map(Number), 500].sort());
      for (const status of statuses.filter((status) => status >= 400)) {
        expect(operation.responses[status]!.content).toEqual({ "application/json": { schema: { $ref: "#/components/schemas/Error" } } });
      }
      if (endpoint.errors[429 as keyof typeof endpoint.errors]) expect(operation.responses[429]!.headers).toHaveProperty("Retry-After");
      expect(operation.security).toEqual(endpoint.auth === "bearer" ? [{ bearerToken: [] }] : []);
    }
    expect(resolve({ $ref: "#/components/schemas/Error" })).toMatchObject({ required: ["error"] });
    // The contract's status codes all appear somewhere.
    const everyStatus = new Set(Object.values(document.paths).flatMap((item) => Object.values(item as Record<string, Operation>).flatMap((op) => Object.keys(op.responses))));
    for (const status of ["200", "201", "202", "204", "400", "401", "404", "409", "413", "422", "429"]) expect(everyStatus).toContain(status);
  });

  it("is served at GET /api/openapi.json", async () => {
    const response = await fetch(`${server.url}/api/openapi.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("application/json");
    expect(await response.json()).toEqual(JSON.parse(JSON.stringify(document)));
  });
});

import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { readdirSync } from "node:fs";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { env } from "../lib/env";
import { CLIENT_ADDRESS_HEADER, clientAddress, trustedProxiesFrom } from "../lib/http/client-address";

// The app's route handlers on a real HTTP server, so API tests go through sockets, headers and
// status lines exactly as a client does, against the test harness's real PostgreSQL, without
// building Next. Routes are discovered from app/api like Next does: static segments win over
// dynamic ones.

type Handler = (request: Request, segment: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;
type Segment = { kind: "static"; name: string } | { kind: "param"; name: string } | { kind: "catchAll"; name: string };
export type MountedRoute = { file: string; pattern: string; segments: Segment[]; handlers: Partial<Record<string, Handler>> };

const APP_DIR = path.resolve(import.meta.dirname, "../app");
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

/** Every app/api/**\/route.ts file, relative to app/ (e.g. "api/keys/[userId]/[deviceId]/route.ts"). */
export function findRouteFiles(dir = path.join(APP_DIR, "api")): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return findRouteFiles(full);
    return entry.name === "route.ts" ? [path.relative(APP_DIR, full)] : [];
  });
}

// next-auth's browser endpoints, the admin API (it authenticates browsers through next/headers)
// and the operators' health check are not part of the messaging-client API.
// next-auth, the admin and health routes, and the JSON 404 for unknown /api paths (no endpoint).
const OUTSIDE_CLIENT_API = [/\[\.\.\.nextauth\]/, /^api\/admin\//, /^api\/health\//, /^api\/\[\.\.\.unknown\]\//];

/** The route files of the messaging-client API. */
export function findClientApiRouteFiles(): string[] {
  return findRouteFiles().filter((file) => !OUTSIDE_CLIENT_API.some((pattern) => pattern.test(file)));
}

function segmentsOf(file: string): Segment[] {
  return path
    .dirname(file)
    .split(path.sep)
    .filter((part) => !/^\(.*\)$/.test(part)) // route groups do not appear in URLs
    .map((part): Segment => {
      const catchAll = /^\[\.\.\.(.+)\]$/.exec(part);
      if (catchAll) return { kind: "catchAll", name: catchAll[1]! };
      const param = /^\[(.+)\]$/.exec(part);
      return param ? { kind: "param", name: param[1]! } : { kind: "static", name: part };
    });
}

/** The URL pattern of a route file in OpenAPI form: "/api/keys/{userId}/{deviceId}". */
export function urlPatternOf(file: string): string {
  return `/${segmentsOf(file)
    .map((segment) => (segment.kind === "static" ? segment.name : segment.kind === "param" ? `{${segment.name}}` : `{...${segment.name}}`))
    .join("/")}`;
}

// Next matches static segments before dynamic ones, and dynamic before catch-all.
const specificity = (route: MountedRoute) => route.segments.map((segment) => ({ static: "0", param: "1", catchAll: "2" })[segment.kind]).join("");

export async function loadRoutes(files = findClientApiRouteFiles()): Promise<MountedRoute[]> {
  const routes = await Promise.all(
    files.map(async (file) => {
      const exports = (await import(path.join(APP_DIR, file))) as Record<string, unknown>;
      const handlers = Object.fromEntries(METHODS.filter((method) => typeof exports[method] === "function").map((method) => [method, exports[method] as Handler]));
      return { file, pattern: urlPatternOf(file), segments: segmentsOf(file), handlers };
    }),
  );
  return routes.sort((a, b) => specificity(a).localeCompare(specificity(b)));
}

function match(route: MountedRoute, parts: string[]): Record<string, string | string[]> | null {
  const params: Record<string, string | string[]> = {};
  for (const [index, segment] of route.segments.entries()) {
    if (segment.kind === "catchAll") {
      if (parts.length <= index) return null;
      params[segment.name] = parts.slice(index);
      return params;
    }
    const part = parts[index];
    if (part === undefined) return null;
    if (segment.kind === "static" && segment.name !== part) return null;
    if (segment.kind === "param") params[segment.name] = part;
  }
  return parts.length === route.segments.length ? params : null;
}

async function readBody(incoming: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function serve(routes: MountedRoute[], incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> {
  const url = new URL(incoming.url ?? "/", `http://${incoming.headers.host ?? "127.0.0.1"}`);
  const parts = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
  const found = routes.map((route) => ({ route, params: match(route, parts) })).find((candidate) => candidate.params);
  const method = incoming.method ?? "GET";
  const handler = found?.route.handlers[method];
  if (!found || !handler) {
    outgoing.writeHead(found ? 405 : 404).end();
    return;
  }
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
  }
  // As scripts/server.ts does, with the same function: the client address comes from the socket.
  headers.set(CLIENT_ADDRESS_HEADER, clientAddress(incoming.socket.remoteAddress, incoming.headers["x-forwarded-for"], trustedProxiesFrom(env().TRUSTED_PROXIES)));
  const body = method === "GET" || method === "HEAD" ? undefined : await readBody(incoming);
  const request = new Request(url, { method, headers, body: body && body.length > 0 ? new Uint8Array(body) : undefined });
  const response = await handler(request, { params: Promise.resolve(found.params!) });
  outgoing.writeHead(response.status, Object.fromEntries(response.headers));
  outgoing.end(Buffer.from(await response.arrayBuffer()));
}

export type ApiServer = { url: string; routes: MountedRoute[]; close(): Promise<void> };

/** Starts the API on a random loopback port. */
export async function startApiServer(): Promise<ApiServer> {
  const routes = await loadRoutes();
  const server: Server = createServer((incoming, outgoing) => {
    serve(routes, incoming, outgoing).catch((error: unknown) => {
      console.error("[test http server]", error);
      if (!outgoing.headersSent) outgoing.writeHead(500);
      outgoing.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    routes,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

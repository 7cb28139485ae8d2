// Latchkey's HTTP server: Next's request handler behind a node:http server that sees the socket.
// App Router handlers get no peer address, and Next only fills X-Forwarded-For when a request has
// none, so a client could choose its own address. Here the address comes from the socket (or from
// a proxy the operator declared) and reaches the app in a header no client can set (ADR 0009).
//
// On SIGTERM or SIGINT it shuts down gracefully (ADR 0031): stop accepting connections, let the
// requests in flight finish, let the outbox finish the message it is sending, close the pool.
//
//   node --import tsx scripts/server.ts [--dev] [--port 3000] [--hostname 0.0.0.0]
import { createServer } from "node:http";
import { parseArgs } from "node:util";
import next from "next";
import { CLIENT_ADDRESS_HEADER, clientAddress, trustedProxiesFrom } from "../lib/http/client-address";
import { unreachableDatabaseReason } from "../lib/db/reachability";
import { precheckRequest } from "../lib/http/request-precheck";
import { databaseUrl, env, InvalidEnvironmentError } from "../lib/env";

/** Requests still running this long after SIGTERM are cut off: orchestrators kill soon after. */
const SHUTDOWN_GRACE_MS = 20_000;

const { values } = parseArgs({
  options: {
    dev: { type: "boolean", default: false },
    port: { type: "string", short: "p", default: process.env.PORT ?? "3000" },
    hostname: { type: "string", short: "H", default: "0.0.0.0" },
  },
});
const port = Number(values.port);

// instrumentation.ts refuses to serve without this marker: under plain `next start` the header
// above would be whatever the client sent.
process.env.LATCHKEY_SERVER = "1";

/** Set by instrumentation.ts inside Next's bundle: stops the background jobs and closes the pool. */
type ShutdownHook = () => Promise<void>;
const appShutdown = () => (globalThis as unknown as { latchkeyShutdown?: ShutdownHook }).latchkeyShutdown?.();

async function main() {
  const trustedProxies = trustedProxiesFrom(env().TRUSTED_PROXIES);
  const unreachable = await unreachableDatabaseReason(databaseUrl());
  if (unreachable) {
    console.error(unreachable);
    process.exit(1);
  }
  const app = next({ dev: values.dev, dir: process.cwd(), hostname: values.hostname, port });
  await app.prepare();
  const handle = app.getRequestHandler();
  let stopping = false;
  const server = createServer((request, response) => {
    // Keep-alive connections would outlive the shutdown: tell clients to reconnect (elsewhere).
    if (stopping) response.setHeader("connection", "close");
    const refused = precheckRequest(request.method, request.url);
    if (refused) {
      response.writeHead(refused.status, refused.headers).end(refused.body);
      return;
    }
    request.headers[CLIENT_ADDRESS_HEADER] = clientAddress(request.socket.remoteAddress, request.headers["x-forwarded-for"], trustedProxies);
    handle(request, response).catch((error: unknown) => {
      // Next answers its own errors; anything that escapes it must not take the process down.
      console.error("[server] request failed", error);
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  });
  server.listen(port, values.hostname, () => {
    console.log(`Latchkey ${values.dev ? "(development) " : ""}listening on http://${values.hostname}:${port}`);
  });

  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`[server] ${signal}: finishing requests in flight, then stopping`);
    const requestsDone = new Promise<void>((resolve) => server.close(() => resolve()));
    const idleCloser = setInterval(() => server.closeIdleConnections(), 100);
    server.closeIdleConnections();
    const graceOver = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
    await requestsDone;
    clearInterval(idleCloser);
    clearTimeout(graceOver);
    try {
      await appShutdown();
      await app.close();
    } catch (error) {
      console.error("[server] shutdown failed", error);
      process.exit(1);
    }
    console.log("[server] stopped");
    process.exit(0);
  };
  process.once("SIGTERM", () => void stop("SIGTERM"));
  process.once("SIGINT", () => void stop("SIGINT"));
}

main().catch((error: unknown) => {
  console.error(error instanceof InvalidEnvironmentError ? error.message : error);
  process.exit(1);
});

// Latchkey's HTTP server: Next's request handler behind a node:http server that sees the socket.
// App Router handlers get no peer address, and Next only fills X-Forwarded-For when a request has
// none, so a client could choose its own address. Here the address comes from the socket (or from
// a proxy the operator declared) and reaches the app in a header no client can set (ADR 0009).
//
// On SIGTERM or SIGINT, or when its output pipe closes, it shuts down gracefully (ADR 0031): stop accepting connections, let the
// requests in flight finish, let the outbox finish the message it is sending, close the pool.
//
//   node --import tsx scripts/server.ts [--dev] [--port 3000] [--hostname 0.0.0.0]
import { createServer, IncomingMessage, type Server, type ServerResponse } from "node:http";
import { parseArgs } from "node:util";
import next from "next";
import { CLIENT_ADDRESS_HEADER, clientAddress, trustedProxiesFrom } from "../lib/http/client-address";
import { unreachableDatabaseReason } from "../lib/db/reachability";
import { precheckRequest, type PrecheckAnswer } from "../lib/http/request-precheck";
import { ACTION_BODY_LIMIT_BYTES, actionBodyTooLarge, checkActionBody, isActionCall } from "../lib/http/action-body";
import { refuseForeignActionOrigin } from "../lib/http/action-origin";
import { apiSecurityHeaders, isApiPath } from "../lib/http/security-headers";
import { databaseUrl, env, InvalidEnvironmentError, servedOverHttps } from "../lib/env";

/** Requests still running this long after SIGTERM are cut off: orchestrators kill soon after. */
const SHUTDOWN_GRACE_MS = 20_000;

/**
 * Connection timeouts (issue 26): a client gets 10 s to send its headers and 30 s for the whole
 * request, checked every second, so a slowloris holds a socket for seconds, not minutes; an idle
 * keep-alive connection is closed after 5 s. None of them holds a database connection: a route has
 * finished its statements before its answer is written.
 */
const SERVER_TIMEOUTS = { headersTimeout: 10_000, requestTimeout: 30_000, keepAliveTimeout: 5_000, connectionsCheckingInterval: 1_000 };
/** A connection on which nothing moves either way this long (a client that stopped reading) is destroyed. */
const IDLE_SOCKET_MS = 60_000;

type Handle = (request: IncomingMessage, response: ServerResponse) => Promise<void>;

/** Set by instrumentation.ts inside Next's bundle: stops the background jobs and closes the pool. */
type ShutdownHook = () => Promise<void>;
const appShutdown = () => (globalThis as unknown as { latchkeyShutdown?: ShutdownHook }).latchkeyShutdown?.();

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

async function main() {
  await refuseToStartWithoutDatabase();
  const app = next({ dev: values.dev, dir: process.cwd(), hostname: values.hostname, port });
  await app.prepare();
  const state = { stopping: false };
  const server = createServer(SERVER_TIMEOUTS, requestPipeline(app.getRequestHandler(), state));
  server.setTimeout(IDLE_SOCKET_MS); // with no 'timeout' listener, an idle socket is destroyed
  server.listen(port, values.hostname, () => {
    console.log(`Latchkey ${values.dev ? "(development) " : ""}listening on http://${values.hostname}:${port}`);
  });
  stopGracefullyOnSignals(server, state, () => app.close());
}

async function refuseToStartWithoutDatabase(): Promise<void> {
  const unreachable = await unreachableDatabaseReason(databaseUrl());
  if (unreachable) {
    console.error(unreachable);
    process.exit(1);
  }
}

/**
 * Each request, in order: refusals Next would answer badly (ADR 0035); the API's headers; the client
 * address from the socket; for a server action, its origin and body checked before Next reads them.
 */
function requestPipeline(handle: Handle, state: { stopping: boolean }) {
  const trustedProxies = trustedProxiesFrom(env().TRUSTED_PROXIES);
  const https = servedOverHttps();
  const serve = (request: IncomingMessage, response: ServerResponse) =>
    handle(request, response).catch((error: unknown) => {
      // Next answers its own errors; anything that escapes it must not take the process down.
      console.error("[server] request failed", error);
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });

  return (request: IncomingMessage, response: ServerResponse) => {
    // Keep-alive connections would outlive the shutdown: tell clients to reconnect (elsewhere).
    if (state.stopping) response.setHeader("connection", "close");
    const refused = precheckRequest(request.method, request.url);
    if (refused) return send(response, refused);
    const path = (request.url ?? "/").split("?", 1)[0]!;
    if (isApiPath(path)) {
      // Set here rather than in proxy.ts, which would cost every API call a second request object (ADR 0058).
      for (const [name, value] of Object.entries(apiSecurityHeaders(path, https))) response.setHeader(name, value);
      coalesceWrites(response);
    }
    request.headers[CLIENT_ADDRESS_HEADER] = clientAddress(request.socket.remoteAddress, request.headers["x-forwarded-for"], trustedProxies);
    if (!isActionCall(request.method, request.headers)) return void serve(request, response);

    const foreign = refuseForeignActionOrigin(path, request.headers);
    if (foreign) return send(response, foreign, true);
    readActionBody(request).then(
      (body) => {
        if (body === null) return send(response, actionBodyTooLarge(request.url ?? "/"), true);
        const refusal = checkActionBody(request.url ?? "/", request.headers["content-type"], body);
        if (refusal) return send(response, refusal);
        void serve(replayed(request, body), response);
      },
      () => response.destroy(), // the client went away mid-body
    );
  };
}

function stopGracefullyOnSignals(server: Server, state: { stopping: boolean }, closeNext: () => Promise<void>): void {
  const stop = async (reason: NodeJS.Signals | "log pipe closed" | "launcher gone") => {
    if (state.stopping) return;
    state.stopping = true;
    console.log(`[server] ${reason}: finishing requests in flight, then stopping`);
    const requestsDone = new Promise<void>((resolve) => server.close(() => resolve()));
    const idleCloser = setInterval(() => server.closeIdleConnections(), 100);
    server.closeIdleConnections();
    const graceOver = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
    await requestsDone;
    clearInterval(idleCloser);
    clearTimeout(graceOver);
    try {
      await appShutdown();
      await closeNext();
    } catch (error) {
      console.error("[server] shutdown failed", error);
      process.exit(1);
    }
    console.log("[server] stopped");
    process.exit(0);
  };
  process.once("SIGTERM", () => void stop("SIGTERM"));
  process.once("SIGINT", () => void stop("SIGINT"));
  // Once nothing reads our output (the supervisor or test runner that started us died), every log
  // line fails with EPIPE and the report of that failure is another line into the same pipe: an
  // orphaned server spun a core on it for as long as it lived. Nobody can see or manage it: stop.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EPIPE") void stop("log pipe closed");
    });
  }
  // Started by `npm run dev` or `npm start` over an IPC channel: when that launcher dies, even by
  // SIGKILL, the channel closes and this server stops with it instead of living on unmanaged.
  process.on("disconnect", () => void stop("launcher gone"));
}

/**
 * Holds an API answer's writes so that a small answer leaves in one write, not Next's three
 * (headers, body, end); end() uncorks. Once a write fills the buffer (it returns false), the hold
 * ends: Next then waits for 'drain', which a corked socket never emits, so holding on would leave
 * every answer past the buffer's size (16 kB) hanging with nothing sent (issue 26, ADR 0062).
 */
function coalesceWrites(response: ServerResponse): void {
  response.cork();
  const write = response.write.bind(response) as (...args: unknown[]) => boolean;
  response.write = ((...args: unknown[]) => {
    const accepted = write(...args);
    if (!accepted) while (response.writableCorked > 0) response.uncork();
    return accepted;
  }) as ServerResponse["write"];
}

function send(response: ServerResponse, answer: PrecheckAnswer, closeConnection = false): void {
  // After an unread body the connection cannot carry another request.
  if (closeConnection) response.setHeader("connection", "close");
  response.writeHead(answer.status, answer.headers).end(answer.body);
}

/** The whole body, or null once it passes the action limit (the rest is left unread). */
function readActionBody(request: IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    request.on("data", (chunk: Buffer) => {
      length += chunk.length;
      if (length > ACTION_BODY_LIMIT_BYTES) {
        request.pause();
        request.removeAllListeners("data");
        resolve(null);
        return;
      }
      chunks.push(chunk);
    });
    request.once("end", () => resolve(Buffer.concat(chunks)));
    request.once("error", reject);
  });
}

/** A request like `request` whose body is `body` again, for Next to read as if untouched. */
function replayed(request: IncomingMessage, body: Buffer): IncomingMessage {
  const copy = new IncomingMessage(request.socket);
  Object.assign(copy, {
    method: request.method,
    url: request.url,
    headers: request.headers,
    rawHeaders: request.rawHeaders,
    httpVersion: request.httpVersion,
    httpVersionMajor: request.httpVersionMajor,
    httpVersionMinor: request.httpVersionMinor,
    complete: true,
  });
  copy.push(body);
  copy.push(null);
  return copy;
}

main().catch((error: unknown) => {
  console.error(error instanceof InvalidEnvironmentError ? error.message : error);
  process.exit(1);
});

// Latchkey's HTTP server: Next's request handler behind a node:http server that sees the socket.
// App Router handlers get no peer address, and Next only fills X-Forwarded-For when a request has
// none, so a client could choose its own address. Here the address comes from the socket (or from
// a proxy the operator declared) and reaches the app in a header no client can set (ADR 0009).
//
//   node --import tsx scripts/server.ts [--dev] [--port 3000] [--hostname 0.0.0.0]
import { createServer } from "node:http";
import { parseArgs } from "node:util";
import next from "next";
import { CLIENT_ADDRESS_HEADER, clientAddress, trustedProxiesFrom } from "../lib/http/client-address";
import { precheckRequest } from "../lib/http/request-precheck";
import { env } from "../lib/env";

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

const trustedProxies = trustedProxiesFrom(env().TRUSTED_PROXIES);
const app = next({ dev: values.dev, dir: process.cwd(), hostname: values.hostname, port });

async function main() {
  await app.prepare();
  const handle = app.getRequestHandler();
  const server = createServer((request, response) => {
    const refused = precheckRequest(request.method, request.url);
    if (refused) {
      response.writeHead(refused.status, refused.headers).end(refused.body);
      return;
    }
    request.headers[CLIENT_ADDRESS_HEADER] = clientAddress(request.socket.remoteAddress, request.headers["x-forwarded-for"], trustedProxies);
    void handle(request, response);
  });
  server.listen(port, values.hostname, () => {
    console.log(`Latchkey ${values.dev ? "(development) " : ""}listening on http://${values.hostname}:${port}`);
  });

  const stop = () => {
    server.close(() => {
      void app.close().then(() => process.exit(0));
    });
    server.closeIdleConnections();
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

export type ReceivedSms = { path: string; authorization: string; form: URLSearchParams };

/**
 * A local HTTP server shaped like Twilio's Messages endpoint, for tests; `status` sets its answer.
 * `listenPort` brings a stopped provider back on its old port (outage tests).
 */
export async function startTwilioCapture(listenPort = 0) {
  const received: ReceivedSms[] = [];
  let status = 201;
  const readBody = (request: IncomingMessage) =>
    new Promise<string>((resolve) => {
      let body = "";
      request.on("data", (chunk) => (body += chunk));
      request.on("end", () => resolve(body));
    });
  const server = createServer(async (request, response) => {
    received.push({ path: request.url ?? "", authorization: request.headers.authorization ?? "", form: new URLSearchParams(await readBody(request)) });
    response.writeHead(status, { "content-type": "application/json" });
    response.end(status < 300 ? JSON.stringify({ sid: "SM1", status: "queued" }) : JSON.stringify({ code: 21211, message: "Invalid 'To' Phone Number" }));
  });
  await new Promise<void>((resolve) => server.listen(listenPort, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    answerWith: (code: number) => {
      status = code;
    },
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // The app's fetch keeps connections alive: cut them, or the port stays in use.
        server.closeAllConnections();
      }),
  };
}

/** The settings that point the app's Twilio provider at a capture server listening on `url`. */
export function twilioSettings(url: string) {
  return {
    SMS_PROVIDER: "twilio",
    TWILIO_API_URL: url,
    TWILIO_ACCOUNT_SID: "AC123",
    TWILIO_AUTH_TOKEN: "secret-token",
    TWILIO_FROM: "+15005550006",
  };
}

// The e2e web server: a throwaway PostgreSQL, a real SMTP server and a Twilio-shaped SMS endpoint
// that capture what the app sends (readable over a small JSON API for the tests, which can also ask
// for demo data), and the built app (scripts/server.ts) wired to them. Playwright starts this as its webServer and stops it after.
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import { startSmtpCapture } from "../../test/smtp";
import { twilioSettings } from "../../test/sms-capture";
import { startApp, startSystemDatabase } from "../../test/system/stack";
import { oidcProvidersSetting, startOidcProvider } from "../../test/oidc-provider";
import { e2eBaseUrl, e2ePorts } from "./ports";

type CapturedSms = { to: string; from: string; body: string };

async function main() {
  const database = await startSystemDatabase();

  const smtp = await startSmtpCapture(e2ePorts.smtp);
  const sms: CapturedSms[] = [];

  const smsServer = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => {
      const form = new URLSearchParams(body);
      sms.push({ to: form.get("To") ?? "", from: form.get("From") ?? "", body: form.get("Body") ?? "" });
      response.writeHead(201, { "content-type": "application/json" });
      response.end(JSON.stringify({ sid: `SM${randomBytes(16).toString("hex")}`, status: "queued" }));
    });
  });
  smsServer.listen(e2ePorts.sms, "127.0.0.1");

  const captureServer = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://capture");
    const action = request.method === "POST" ? testActions[url.pathname] : undefined;
    if (action) {
      action(database.url, url.searchParams)
        .then((answer) => {
          response.writeHead(200, { "content-type": "application/json" });
          response.end(JSON.stringify(answer));
        })
        .catch((error: unknown) => {
          response.writeHead(500);
          response.end(String(error));
        });
      return;
    }
    const to = url.searchParams.get("to")?.toLowerCase();
    const items =
      url.pathname === "/mail"
        ? smtp.messages.filter((mail) => !to || mail.to.includes(to))
        : url.pathname === "/sms"
          ? sms.filter((message) => !to || message.to === to)
          : null;
    response.writeHead(items ? 200 : 404, { "content-type": "application/json" });
    response.end(JSON.stringify(items ?? { error: "not found" }));
  });
  captureServer.listen(e2ePorts.capture, "127.0.0.1");

  const oidc = await startOidcProvider({ appUrl: e2eBaseUrl, port: e2ePorts.oidc });

  const app = await startApp({
    databaseUrl: database.url,
    port: e2ePorts.app,
    inheritOutput: true,
    env: {
      APP_URL: e2eBaseUrl,
      SMTP_URL: smtp.url,
      ...twilioSettings(`http://127.0.0.1:${e2ePorts.sms}`),
      // prehijack-owner: the pre-hijacking attack test (e2e/security-pre-hijack.spec.ts) needs an admin address of its own;
      // hostile-admin: so does the admin who reads hostile names (e2e/security-hostile-text.spec.ts), whatever ran before.
      ADMIN_EMAILS: "admin@e2e.test,prehijack-owner@e2e.test,hostile-admin@e2e.test",
      CLEANUP_INTERVAL_MINUTES: "60",
      // On by default in production (next start): the admin journeys sign in with a password only.
      REQUIRE_TWO_STEP_FOR_ADMINS: "false",
      // "Continue with Test ID" (e2e/sign-in-with-provider.spec.ts) through a real OpenID Connect provider.
      OIDC_PROVIDERS: oidcProvidersSetting(oidc.issuer),
    },
  });

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await app.stop();
    captureServer.close();
    smsServer.close();
    await oidc.close();
    await smtp.close();
    await database.close();
    process.exit(0);
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  app.process.on("exit", stop);
}

/** What specs may ask of the run's database beyond what the app offers (POST /<name>). */
const testActions: Record<string, (databaseUrl: string, params: URLSearchParams) => Promise<unknown>> = {
  // The admin spec screenshots the dashboard with realistic data.
  "/seed-demo": async (databaseUrl) => {
    process.env.DATABASE_URL = databaseUrl;
    const { seedDemoData } = await import("../../scripts/support/demo-data");
    return seedDemoData();
  },
  // "Confirm it's you" appears only when the last proof of identity is over 10 minutes old; specs
  // that exercise it make the account's sessions that old instead of waiting.
  "/age-sign-ins": async (databaseUrl, params) => {
    const prisma = await prismaFor(databaseUrl);
    const { count } = await prisma.session.updateMany({
      where: { user: { email: (params.get("email") ?? "").toLowerCase() } },
      data: { authenticatedAt: new Date(Date.now() - 30 * 60_000) },
    });
    return { count };
  },
  // Specs that need a second code move the record of the last send to `to` 61 s into the past
  // (every purpose and asker), as the 60 s wait would, instead of waiting it out.
  "/end-resend-wait": async (databaseUrl, params) => {
    const prisma = await prismaFor(databaseUrl);
    const suffix = `:${params.get("to") ?? ""}`;
    const count = await prisma.$executeRaw`
      UPDATE rate_limit_hits SET created_at = created_at - interval '61 seconds'
      WHERE key LIKE 'otp:resend:%' AND right(key, length(${suffix})) = ${suffix}`;
    return { count };
  },
  // Double submissions (e2e/security-double-submit.spec.ts): the sessions the account at `email` gained
  // since `since` (ms since the epoch), and its devices.
  "/sign-ins": async (databaseUrl, params) => {
    const prisma = await prismaFor(databaseUrl);
    const user = { email: (params.get("email") ?? "").toLowerCase() };
    const since = new Date(Number(params.get("since")));
    const [sessions, devices] = await Promise.all([
      prisma.session.count({ where: { user, createdAt: { gte: since } } }),
      prisma.device.count({ where: { user, revoked: false } }),
    ]);
    return { sessions, devices };
  },
  // The return-path journeys (e2e/security-return-path.spec.ts) sign one address in by code a dozen
  // times: every code-send record for `to` moves an hour into the past, as if the hourly limit had passed.
  "/forget-code-sends": async (databaseUrl, params) => {
    const prisma = await prismaFor(databaseUrl);
    const suffix = `:${params.get("to") ?? ""}`;
    const count = await prisma.$executeRaw`
      UPDATE rate_limit_hits SET created_at = created_at - interval '1 hour'
      WHERE key LIKE 'otp:%' AND right(key, length(${suffix})) = ${suffix}`;
    return { count };
  },
};

async function prismaFor(databaseUrl: string) {
  process.env.DATABASE_URL = databaseUrl;
  return (await import("../../lib/db")).prisma;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

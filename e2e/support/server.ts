// The e2e web server: a throwaway PostgreSQL, a real SMTP server and a Twilio-shaped SMS endpoint
// that capture what the app sends (readable over a small JSON API for the tests, which can also ask
// for demo data), and the built app under `next start` wired to them. Playwright starts this as its webServer and stops it after.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { startEmbeddedPostgres } from "../../lib/db/embedded";
import { applyMigrations } from "../../lib/db/migrations";
import { startSmtpCapture } from "../../test/smtp";
import { e2eBaseUrl, e2ePorts } from "./ports";

type CapturedSms = { to: string; from: string; body: string };

async function main() {
  const root = await mkdtemp(path.join(tmpdir(), "latchkey-e2e-"));
  const postgres = await startEmbeddedPostgres({ dataDir: path.join(root, "pg"), persistent: false });
  const databaseUrl = new URL(postgres.url);
  databaseUrl.pathname = "/latchkey";
  await applyMigrations(databaseUrl.toString());

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
    if (request.method === "POST" && url.pathname === "/seed-demo") {
      seedDemo(databaseUrl.toString())
        .then((seeded) => {
          response.writeHead(200, { "content-type": "application/json" });
          response.end(JSON.stringify(seeded));
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

  const app = spawn(path.join("node_modules", ".bin", "next"), ["start", "-p", String(e2ePorts.app), "-H", "127.0.0.1"], {
    stdio: "inherit",
    env: {
      ...process.env,
      NODE_ENV: "production",
      DATABASE_URL: databaseUrl.toString(),
      AUTH_SECRET: randomBytes(32).toString("base64url"),
      APP_URL: e2eBaseUrl,
      SMTP_URL: smtp.url,
      SMS_PROVIDER: "twilio",
      TWILIO_API_URL: `http://127.0.0.1:${e2ePorts.sms}`,
      TWILIO_ACCOUNT_SID: "ACe2e",
      TWILIO_AUTH_TOKEN: "e2e-token",
      TWILIO_FROM: "+15005550006",
      // prehijack-owner: the pre-hijacking attack test (e2e/security-pre-hijack.spec.ts) needs an admin address of its own.
      ADMIN_EMAILS: "admin@e2e.test,prehijack-owner@e2e.test",
    },
  });

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    app.kill("SIGTERM");
    captureServer.close();
    smsServer.close();
    await smtp.close();
    await postgres.stop();
    await rm(root, { recursive: true, force: true });
    process.exit(0);
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  app.on("exit", stop);
}

// The admin spec screenshots the dashboard with realistic data; seeding needs this process's access
// to the run's database, so it is offered here rather than from the browser or the app.
async function seedDemo(databaseUrl: string) {
  process.env.DATABASE_URL = databaseUrl;
  const { seedDemoData } = await import("../../scripts/support/demo-data");
  return seedDemoData();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

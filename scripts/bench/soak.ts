// Issue 26 part 5, the soak: one production server under the steady mixed load of the failover
// test (test/mixed-load.ts: sign-ups by code through the outbox and a real SMTP server, key
// uploads, bundle fetches, key counts, page loads) for 10 minutes (`--minutes=N` to change it).
// Compares the first minute after a warm-up with the last one. Goals, each written to
// bench/results.json by `npm run bench -- soak`:
//  1. memory: the server's RSS in the last minute / in the first (≤ 1.2);
//  2. latency drift: p99 of every answer in the last minute / in the first (≤ 1.5);
//  3. database connections: the most the server held at any sample / its pool size (≤ 1: flat,
//     bounded by the pool, none leaked);
//  4. errors: answers other than successes and the 429s the load provokes (= 0).
// `--no-build` reuses the last `next build`.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { startEmbeddedPostgres } from "../../lib/db/embedded";
import { applyMigrations } from "../../lib/db/migrations";
import { startMixedLoad, summarize, unexpectedAnswers, type LoadOutcome } from "../../test/mixed-load";
import { startSmtpCapture } from "../../test/smtp";
import { percentile, reportGoal } from "./_harness";
import { buildApp, startApp } from "./_servers";

const PORT = 3495;
const POOL_SIZE = 10;
const minutesArg = process.argv.find((arg) => arg.startsWith("--minutes="));
const MINUTES = minutesArg ? Number(minutesArg.slice("--minutes=".length)) : 10;
if (!(MINUTES >= 2)) throw new Error("--minutes must be at least 2 (a first and a last minute to compare)");
/** Not measured: JIT compilation, first-use caches and the first accounts make the start unrepresentative. */
const WARM_UP_MS = 30_000;
const WINDOW_MS = 60_000;

if (!process.argv.includes("--no-build")) buildApp();
const root = await mkdtemp(path.join(tmpdir(), "latchkey-soak-"));
const postgres = await startEmbeddedPostgres({ dataDir: path.join(root, "pg"), persistent: false });
const databaseUrl = Object.assign(new URL(postgres.url), { pathname: "/soak" }).toString();
await applyMigrations(databaseUrl);
const smtp = await startSmtpCapture();
const app = await startApp({
  port: PORT,
  env: {
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_SIZE: String(POOL_SIZE),
    AUTH_SECRET: randomBytes(32).toString("base64url"),
    APP_URL: `http://localhost:${PORT}`,
    SMTP_URL: smtp.url,
    TRUSTED_PROXIES: "127.0.0.1",
    OUTBOX_POLL_SECONDS: "1",
  },
});
const monitor = new pg.Client({ connectionString: databaseUrl });
await monitor.connect();

type Sample = { at: number; rssMiB: number; connections: number };
const samples: Sample[] = [];
async function sample(): Promise<void> {
  const status = readFileSync(`/proc/${app.process.pid}/status`, "utf8");
  const rssKiB = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
  const { rows } = await monitor.query<{ count: string }>("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()");
  samples.push({ at: Date.now(), rssMiB: rssKiB / 1024, connections: Number(rows[0]!.count) });
}

try {
  console.log(`soak: ${MINUTES} minutes of the mixed load on one server (first ${WARM_UP_MS / 1000} s not measured)`);
  const load = startMixedLoad({ appUrls: [app.url], smtp, workers: 4, pauseMs: 50, maxDevices: 300 });
  const started = Date.now();
  const end = started + MINUTES * 60_000;
  while (Date.now() < end) {
    await sample();
    const elapsed = Math.round((Date.now() - started) / 1000);
    if (elapsed % 60 < 5) console.log(`  ${elapsed} s: RSS ${samples.at(-1)!.rssMiB.toFixed(0)} MiB, ${samples.at(-1)!.connections} connections, ${load.outcomes.length} answers`);
    await new Promise((resolve) => setTimeout(resolve, 5_000));
  }
  await load.stop();

  const first = { from: started + WARM_UP_MS, to: started + WARM_UP_MS + WINDOW_MS };
  const last = { from: end - WINDOW_MS, to: end };
  const inWindow = (window: { from: number; to: number }) => (at: number) => at >= window.from && at < window.to;
  const p99 = (window: typeof first) => percentile(load.outcomes.filter((outcome: LoadOutcome) => inWindow(window)(outcome.startedAt)).map((outcome) => outcome.ms), 99);
  const rss = (window: typeof first) => percentile(samples.filter((entry) => inWindow(window)(entry.at)).map((entry) => entry.rssMiB), 50);
  const mostConnections = Math.max(...samples.map((entry) => entry.connections));
  const errors = unexpectedAnswers(load.outcomes).filter((outcome) => outcome.status !== 429);

  console.log(`  answers: ${summarize(load.outcomes)}`);
  console.log(`  connections per sample: ${samples.map((entry) => entry.connections).join(" ")}`);
  reportGoal("soak: RSS last minute / first minute", rss(last) / rss(first), "at-most", 1.2, { firstMiB: rss(first), lastMiB: rss(last), minutes: MINUTES });
  reportGoal("soak: p99 last minute / first minute", p99(last) / p99(first), "at-most", 1.5, { firstP99Ms: p99(first), lastP99Ms: p99(last), answers: load.outcomes.length });
  reportGoal("soak: most database connections / pool size", mostConnections / POOL_SIZE, "at-most", 1, { mostConnections, poolSize: POOL_SIZE });
  reportGoal("soak: errors beyond provoked 429s", errors.length, "at-most", 0, { errors: errors.length, throttled: load.outcomes.filter((outcome) => outcome.status === 429).length });
  for (const error of errors.slice(0, 5)) console.log(`  error: ${error.operation} ${error.status} ${error.body.slice(0, 200)}`);
} finally {
  await monitor.end();
  await app.stop();
  await smtp.close();
  await postgres.stop();
  await rm(root, { recursive: true, force: true });
}

// Issue 12: the production app against the least a server must do, and whether it stays fast under
// data and under other work. One PostgreSQL, one population, every figure a ratio measured in this
// run. Goals, each printed MET / NOT MET and written to bench/results.json by `npm run bench`:
//  1. claim throughput of the app / a bare node:http + pg server running the same statements
//     (≥ 0.60), and the app's p99 ≤ 3 × its p50;
//  2. fewer round trips: the app / the bare server running the statements from before ADR 0040
//     (≥ 0.74, twice the 0.37 the app managed then);
//  3. claim p50 with 1,000,000 one-time keys over 100,000 devices, and with 20,000 claimed rows
//     per device, / the p50 at 10,000 keys (≤ 1.3; EXPLAIN printed when not);
//  4. p99 of a cheap route while 4 clients upload full key sets / idle (≤ 2);
//  5. p99 of a cheap route during 16 concurrent password sign-ins / idle (≤ 2; two rounds);
//  6. code-request p50 with an SMTP server answering 2 s late / with a prompt one (≤ 1.2);
//  7. admin user list and search p50 with 100,000 users / with 1,000 (≤ 2).
// `--no-build` reuses the last `next build`; BENCH_CPU_PROF=1 profiles the app into bench/profiles/.
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { SMTPServer } from "smtp-server";
import { hashPassword } from "../../lib/auth/password";
import { startEmbeddedPostgres } from "../../lib/db/embedded";
import { applyMigrations } from "../../lib/db/migrations";
import { generateClientKeys } from "../../test/keys";
import { percentile, reportGoal } from "./_harness";
import { describeStatuses, runLoad, type BenchRequest, type LoadResult } from "./_load";
import {
  addClaimedKyberKeys,
  addOneTimeKeys,
  populateClients,
  populateTargets,
  populateUsers,
  prepareBenchDatabase,
  type BenchClient,
} from "./_population";
import { buildApp, startApp, startBareServer, type RunningServer } from "./_servers";

const PORTS = { postgres: 3490, app: 3491, bare: 3492, bareBefore: 3493, smtp: 3494 };
/** Concurrent clients in the side-by-side runs (issue 12 measured at 16). */
const CONCURRENCY = 16;
const SIDE_BY_SIDE_MS = 5000;
const ROUNDS = 2;
const PASSWORD = "correct horse battery staple";

const started = performance.now();
const seconds = () => ((performance.now() - started) / 1000).toFixed(0);
const step = (what: string) => console.log(`[${seconds()} s] ${what}`);

if (!process.argv.includes("--no-build")) {
  step("next build");
  buildApp();
}
const root = await mkdtemp(path.join(tmpdir(), "latchkey-bench-"));
const postgres = await startEmbeddedPostgres({ dataDir: path.join(root, "pg"), persistent: false, port: PORTS.postgres });
const databaseUrl = Object.assign(new URL(postgres.url), { pathname: "/bench" }).toString();
await applyMigrations(databaseUrl);
const db = new pg.Pool({ connectionString: databaseUrl, max: 4 });
await prepareBenchDatabase(db);
const smtp = await startSmtp(PORTS.smtp);
const servers: RunningServer[] = [];
const serverEnv = {
  DATABASE_URL: databaseUrl,
  AUTH_SECRET: randomBytes(32).toString("base64url"),
  APP_URL: `http://localhost:${PORTS.app}`, // a host name: lib/env.ts refuses an IP host
  SMTP_URL: smtp.url,
  CLEANUP_INTERVAL_MINUTES: "0",
};

try {
  // Requesters claim at most 10 times from each target and 100 times in all, inside every limit.
  const requesters = await populateClients(db, "req", 6000);
  let nextRequester = 0;
  const claimsBy = (pool: number, targets: BenchClient[]) => {
    const slice = requesters.slice(nextRequester, (nextRequester += pool));
    if (slice.length < pool) throw new Error("the population has too few requesters");
    return (n: number): BenchRequest => {
      const target = targets[Math.floor(n / pool) % targets.length]!;
      return { path: `/api/keys/${target.userId}/${target.deviceId}`, token: slice[n % pool]!.token };
    };
  };

  step("population: 20 devices holding 10,000 one-time keys");
  const flat = await populateTargets(db, "flat", 20, { ec: 500, kyber: 200 });
  await settleDatabase(db);
  const bare = await startBareServer({ port: PORTS.bare, env: serverEnv, statements: "current" });
  servers.push(bare);
  const flatRun = async () => {
    await sessionsSeenNow(db);
    return runLoad({ baseUrl: bare.url, concurrency: 4, durationMs: 3000, request: claimsBy(150, flat) });
  };
  await flatRun(); // warm-up: plans, pools, JIT
  const flatSmall = await flatRun();

  step("population: 100 target devices, prober, uploader and password accounts");
  const targets = await populateTargets(db, "tgt", 100, { ec: 300, kyber: 150 });
  const probers = await populateClients(db, "probe", 400);
  const uploaders = await populateClients(db, "up", 300);
  await populateClients(db, "pw", 100, await hashPassword(PASSWORD)); // pw1@bench.test, pw2@…
  await db.query("VACUUM ANALYZE");

  step("starting the app and the bare server with the statements from before");
  const app = await startApp({
    port: PORTS.app,
    env: serverEnv,
    cpuProfileDir: process.env.BENCH_CPU_PROF ? path.resolve("bench/profiles") : undefined,
  });
  servers.push(app);
  const bareBefore = await startBareServer({ port: PORTS.bareBefore, env: serverEnv, statements: "before" });
  servers.push(bareBefore);

  step(`side by side: ${ROUNDS} alternating rounds of ${SIDE_BY_SIDE_MS / 1000} s per server, ${CONCURRENCY} clients`);
  const sides = { app, bare, bareBefore };
  const runs: Record<keyof typeof sides, LoadResult[]> = { app: [], bare: [], bareBefore: [] };
  for (const name of Object.keys(sides) as Array<keyof typeof sides>) {
    await runLoad({ baseUrl: sides[name].url, concurrency: CONCURRENCY, durationMs: 3000, request: claimsBy(200, targets) });
  }
  for (let round = 0; round < ROUNDS; round++) {
    const order = (round % 2 === 0 ? ["app", "bare", "bareBefore"] : ["bareBefore", "bare", "app"]) as Array<keyof typeof sides>;
    for (const name of order) {
      await sessionsSeenNow(db);
      const result = await runLoad({ baseUrl: sides[name].url, concurrency: CONCURRENCY, durationMs: SIDE_BY_SIDE_MS, request: claimsBy(400, targets) });
      runs[name].push(result);
      console.log(`  ${name.padEnd(10)} ${result.perSecond.toFixed(0).padStart(5)} bundles/s  p50 ${result.p50.toFixed(1)} ms  p99 ${result.p99.toFixed(1)} ms  (${describeStatuses(result.statuses)})`);
    }
  }
  const merged = (name: keyof typeof sides) => ({
    perSecond: runs[name].reduce((sum, run) => sum + run.perSecond, 0) / runs[name].length,
    ...mergedRuns(runs[name]),
  });
  const [appSide, bareSide, beforeSide] = [merged("app"), merged("bare"), merged("bareBefore")];
  reportGoal("1. app / bare server, bundles per second", appSide.perSecond / bareSide.perSecond, "at-least", 0.6, {
    "app/s": appSide.perSecond, "app p50 ms": appSide.p50, "app p99 ms": appSide.p99,
    "bare/s": bareSide.perSecond, "bare p50 ms": bareSide.p50, "bare p99 ms": bareSide.p99,
  });
  reportGoal("1. app p99 / app p50", appSide.p99 / appSide.p50, "at-most", 3, { "p50 ms": appSide.p50, "p99 ms": appSide.p99 });
  reportGoal("2. app / bare server with the statements before ADR 0040", appSide.perSecond / beforeSide.perSecond, "at-least", 0.74, {
    "app/s": appSide.perSecond, "before/s": beforeSide.perSecond, "before p50 ms": beforeSide.p50, "before p99 ms": beforeSide.p99,
    "bare now / before": bareSide.perSecond / beforeSide.perSecond,
  });

  step("cheap route (GET /api/keys/count) idle, then while 4 clients upload full key sets");
  let nextProbe = 0;
  const probe = (): BenchRequest => ({ path: "/api/keys/count", token: probers[Math.floor(nextProbe++ / 40) % probers.length]!.token });
  const probeRun = async (until?: Promise<unknown>, durationMs = 3000) => {
    await sessionsSeenNow(db);
    return runLoad({ baseUrl: app.url, concurrency: 2, durationMs, until, request: probe });
  };
  const idleBeforeUploads = await probeRun();
  const fullUpload = JSON.stringify(generateClientKeys({ preKeys: 100, pqPreKeys: 100 }).upload);
  const uploadsDone = runLoad({
    baseUrl: app.url,
    concurrency: 4,
    durationMs: 5000,
    request: (n) => ({ method: "PUT", path: "/api/keys", token: uploaders[Math.floor(n / 5)]!.token, body: fullUpload }),
  });
  const duringUploads = await probeRun(uploadsDone, 6000);
  const uploads = await uploadsDone;
  console.log(`  uploads: ${uploads.count} in 5 s, p50 ${uploads.p50.toFixed(0)} ms (${describeStatuses(uploads.statuses)})`);
  reportGoal("4. cheap-route p99 during uploads / idle", duringUploads.p99 / idleBeforeUploads.p99, "at-most", 2, {
    "idle p50 ms": idleBeforeUploads.p50, "idle p99 ms": idleBeforeUploads.p99, "during p50 ms": duringUploads.p50, "during p99 ms": duringUploads.p99,
    "uploads/s": uploads.perSecond,
  });

  step("twice: cheap route idle, then during 3 waves of 16 concurrent password sign-ins");
  // One round's "during" window is about a second and a half (~200 probes, so its p99 is its
  // second-worst answer): two rounds, each with its own idle baseline, give the figure twice the samples.
  let nextPasswordUser = 0;
  const signInWaves = async (round: number) => {
    const results: LoadResult[] = [];
    for (let wave = 0; wave < 3; wave++) {
      results.push(
        await runLoad({
          baseUrl: app.url,
          concurrency: 16,
          count: 16,
          localAddress: `127.0.0.${50 + 3 * round + wave}`,
          request: () => ({
            method: "POST",
            path: "/api/auth/token",
            body: JSON.stringify({ email: `pw${++nextPasswordUser}@bench.test`, password: PASSWORD, deviceName: "bench" }),
          }),
        }),
      );
    }
    return results;
  };
  const [idleSignInRuns, duringSignInRuns]: [LoadResult[], LoadResult[]] = [[], []];
  for (const round of [0, 1]) {
    idleSignInRuns.push(await probeRun());
    const waves = signInWaves(round);
    duringSignInRuns.push(await probeRun(waves, 30_000));
    console.log(`  sign-ins: ${(await waves).map((wave) => `${describeStatuses(wave.statuses)} p50 ${wave.p50.toFixed(0)} ms`).join("; ")}`);
  }
  const [idleBeforeSignIns, duringSignIns] = [mergedRuns(idleSignInRuns), mergedRuns(duringSignInRuns)];
  reportGoal("5. cheap-route p99 during password sign-ins / idle", duringSignIns.p99 / idleBeforeSignIns.p99, "at-most", 2, {
    "idle p50 ms": idleBeforeSignIns.p50, "idle p99 ms": idleBeforeSignIns.p99, "during p50 ms": duringSignIns.p50, "during p99 ms": duringSignIns.p99,
  });

  step("code requests with a prompt SMTP server, then with one answering 2 s late, twice, alternating");
  let nextAddress = 0;
  // 15 requests per source address stay inside the per-IP limit; two rounds give 30 samples a side.
  const codeRequests = (localAddress: string) =>
    runLoad({
      baseUrl: app.url,
      concurrency: 1,
      count: 15,
      localAddress,
      request: () => ({ method: "POST", path: "/api/auth/code", body: JSON.stringify({ email: `code${++nextAddress}@bench.test` }) }),
    });
  const [promptRuns, lateRuns]: [LoadResult[], LoadResult[]] = [[], []];
  for (const round of [0, 1]) {
    promptRuns.push(await codeRequests(`127.0.0.${60 + 2 * round}`));
    smtp.setDelay(2000);
    lateRuns.push(await codeRequests(`127.0.0.${61 + 2 * round}`));
    smtp.setDelay(0);
  }
  const [promptMail, lateMail] = [mergedRuns(promptRuns), mergedRuns(lateRuns)];
  reportGoal("6. code-request p50 with SMTP 2 s late / prompt", lateMail.p50 / promptMail.p50, "at-most", 1.2, {
    "prompt p50 ms": promptMail.p50, "prompt p99 ms": promptMail.p99, "late p50 ms": lateMail.p50, "late p99 ms": lateMail.p99,
  });

  step("population: 1,000,000 one-time keys over 100,000 more devices");
  await populateClients(db, "mass", 100_000);
  await addOneTimeKeys(db, "mass", 100_000, 10, false);
  await settleDatabase(db);
  await flatRun(); // warm-up, as for 10,000 keys: the figure is the steady state, not the cold cache
  const flatMass = await flatRun();
  step("population: 20,000 claimed EC and 5,000 claimed Kyber keys on each of the 20 devices");
  await addOneTimeKeys(db, "flat", 20, 20_000, true, 100_000);
  await addClaimedKyberKeys(db, "flat", 20, 5_000, 100_000);
  await settleDatabase(db);
  await flatRun();
  const flatClaimed = await flatRun();
  for (const [name, run] of [["1,000,000 keys", flatMass], ["claimed rows", flatClaimed]] as const) {
    const result = reportGoal(`3. claim p50 with ${name} / with 10,000 keys`, run.p50 / flatSmall.p50, "at-most", 1.3, {
      "10k p50 ms": flatSmall.p50, "10k p99 ms": flatSmall.p99, "p50 ms": run.p50, "p99 ms": run.p99,
    });
    if (!result.met) await explainClaim(db, requesters[requesters.length - 1]!, flat[0]!);
  }

  step("admin user list and search with 1,000 users, then 100,000 (own database)");
  await benchAdminList(postgres.url);
} finally {
  await Promise.all(servers.map((server) => server.stop()));
  await smtp.close();
  await db.end();
  await postgres.stop();
  await rm(root, { recursive: true, force: true });
  step("done");
}

/**
 * Statistics fresh and the bulk load's dirty pages written out, so that a measurement after a
 * population step is not the one that pays for a checkpoint or an autovacuum of it.
 */
async function settleDatabase(db: pg.Pool): Promise<void> {
  await db.query("VACUUM ANALYZE");
  await db.query("CHECKPOINT");
}

/** One figure over several runs of the same load. */
function mergedRuns(runs: LoadResult[]) {
  const latencies = runs.flatMap((run) => run.latencies);
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

/**
 * The app writes a session's last_seen_at at most once a minute, on its first request after that;
 * the bare server never does. Marking every session seen before a run keeps that write out of
 * both sides (it is one statement, measured by nothing here).
 */
async function sessionsSeenNow(db: pg.Pool): Promise<void> {
  await db.query("UPDATE sessions SET last_seen_at = now()");
}

/** An SMTP server that accepts everything, `delayMs` after the data arrives. */
async function startSmtp(port: number) {
  let delayMs = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, _session, callback) {
      stream.resume();
      stream.on("end", () => setTimeout(callback, delayMs));
    },
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    url: `smtp://127.0.0.1:${port}`,
    setDelay: (ms: number) => (delayMs = ms),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The claim statement's plan for one fetch, executed and rolled back. */
async function explainClaim(db: pg.Pool, requester: BenchClient, target: BenchClient) {
  const { claimStatement, targetAllowances } = await import("../../lib/keys/claim");
  const statement = claimStatement(
    targetAllowances({ requesterUserId: requester.userId, requesterDeviceId: requester.deviceId, targetUserId: target.userId }),
    target.userId,
    target.deviceId,
  );
  const client = await db.connect();
  try {
    await client.query("BEGIN");
    const { rows } = await client.query({ text: `EXPLAIN (ANALYZE, COSTS OFF) ${statement.text}`, values: statement.values });
    // The whole plan is ~200 lines; its table accesses and the timings say whether data hurts.
    const lines = rows.map((row: Record<string, string>) => row["QUERY PLAN"]!);
    const shown = lines.filter((line) => /Scan on|Scan using|Planning Time|Execution Time/.test(line));
    console.log(shown.map((line) => `    ${line.trim().replace(/^->\s*/, "")}`).join("\n"));
  } finally {
    await client.query("ROLLBACK");
    client.release();
  }
}

async function benchAdminList(serverUrl: string) {
  const adminUrl = Object.assign(new URL(serverUrl), { pathname: "/bench_admin" }).toString();
  await applyMigrations(adminUrl);
  const adminDb = new pg.Pool({ connectionString: adminUrl, max: 2 });
  await prepareBenchDatabase(adminDb);
  process.env.DATABASE_URL = adminUrl;
  const { listUsers, userListQuerySchema } = await import("../../lib/admin/users");
  const { disconnectPrisma } = await import("../../lib/db");
  const queries = {
    newest: {},
    "search email": { q: "person12" },
    "search phone": { q: "(212) 555" },
    inactive: { filter: "inactive" },
    "by email, page 3": { sort: "email", page: "3" },
    "signed in lately": { sort: "last_sign_in" },
  };
  const timeAll = async () => {
    const p50s: Record<string, number> = {};
    for (const [name, raw] of Object.entries(queries)) {
      const query = userListQuerySchema.parse(raw);
      const samples: number[] = [];
      for (let i = 0; i < 25; i++) {
        const began = performance.now();
        await listUsers(query);
        samples.push(performance.now() - began);
      }
      p50s[name] = percentile(samples.slice(5), 50);
    }
    return p50s;
  };
  try {
    await populateUsers(adminDb, "a", 1, 1000);
    const small = await timeAll();
    await populateUsers(adminDb, "a", 1001, 100_000);
    const large = await timeAll();
    const worst = Object.keys(queries).reduce((slowest, name) => (large[name]! / small[name]! > large[slowest]! / small[slowest]! ? name : slowest));
    for (const name of Object.keys(queries)) console.log(`  ${name.padEnd(18)} 1k p50 ${small[name]!.toFixed(2)} ms   100k p50 ${large[name]!.toFixed(2)} ms`);
    reportGoal(`7. admin list p50 with 100,000 users / 1,000 (worst: ${worst})`, large[worst]! / small[worst]!, "at-most", 2, {
      "1k p50 ms": small[worst]!, "100k p50 ms": large[worst]!,
    });
  } finally {
    await disconnectPrisma();
    await adminDb.end();
  }
}

// Issue 16: does the time of an answer tell whether an address has an account? Against the
// production build (scripts/server.ts, as `npm start` runs it, on a throwaway PostgreSQL), each public path that takes an address
// gets REQUESTS_PER_KIND requests for addresses with an account and as many for addresses
// without, shuffled together and sent one at a time, each from its own loopback address (a real
// socket address, so no per-IP limit is shared and nothing is forged) and, for known addresses,
// each to an account of its own (so no per-address limit trips). Reports both medians, their
// difference and the two-sided p-value of a Mann-Whitney U test. Goal: |difference| < 1 ms and
// p ≥ 0.01. Uses the build in .next/ (run `npx next build` first after changing code).
import { spawnSync } from "node:child_process";
import { randomBytes, randomInt } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { startEmbeddedPostgres } from "../../lib/db/embedded";
import { applyMigrations } from "../../lib/db/migrations";
import { hashPassword } from "../../lib/auth/password";
import { mannWhitneyP, median } from "./_mann-whitney";
import { startApp, type RunningServer } from "./_servers";

const REQUESTS_PER_KIND = 200;
const WARM_UP_PER_KIND = 10;
/** A pause between requests, so work that follows an answer (mail, audit) does not overlap the next one. */
const GAP_MS = 3;
const PORT = 3390;
const BASE = `http://127.0.0.1:${PORT}`;
const PASSWORD = "plum-kettle-orbit-94";
const WRONG_PASSWORD = "not-the-password-17";

type Kind = "known" | "unknown";
type Answer = { status: number; ms: number };

/** A public path: how to send one request for an address. */
type PathUnderTest = { name: string; send: (address: string, from: string) => Promise<Answer> };

// ---- HTTP, each request from its own loopback address --------------------------------------

let nextClient = 0;
/** 127.1.0.1, 127.1.0.2, …: a different source address for every request. */
function nextClientAddress(): string {
  nextClient += 1;
  return `127.${1 + Math.floor(nextClient / 65_000)}.${Math.floor((nextClient % 65_000) / 250)}.${(nextClient % 250) + 1}`;
}

function send(urlPath: string, headers: Record<string, string>, body: string, from: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const outgoing = request(
      `${BASE}${urlPath}`,
      { method: "POST", localAddress: from, agent: false, headers: { ...headers, origin: BASE, "content-length": Buffer.byteLength(body) } },
      (response) => {
        response.resume();
        response.on("end", () => resolve({ status: response.statusCode ?? 0, ms: Number(process.hrtime.bigint() - started) / 1e6 }));
      },
    );
    outgoing.on("error", reject);
    outgoing.end(body);
  });
}

const postJson = (urlPath: string, body: unknown) => (from: string) =>
  send(urlPath, { "content-type": "application/json" }, JSON.stringify(body), from);

/** Calls a server action the way the browser does: POST to its page with the action's id. */
function callAction(actionIds: Map<string, string>, page: string, name: string, input: unknown) {
  const id = actionIds.get(name);
  if (!id) throw new Error(`no server action ${name} in the build`);
  return (from: string) =>
    send(page, { "next-action": id, accept: "text/x-component", "content-type": "text/plain;charset=UTF-8" }, JSON.stringify([input]), from);
}

/** Action ids by exported name, from the build's server-reference manifest. */
function readActionIds(): Map<string, string> {
  const manifest = JSON.parse(readFileSync(".next/server/server-reference-manifest.json", "utf8")) as {
    node: Record<string, { exportedName?: string }>;
  };
  return new Map(Object.entries(manifest.node).flatMap(([id, entry]) => (entry.exportedName ? [[entry.exportedName, id] as const] : [])));
}

// ---- statistics -------------------------------------------------------------------------------

// ---- the run ----------------------------------------------------------------------------------

const shuffled = <T>(items: T[]): T[] => {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = randomInt(i + 1);
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function measurePath(pathUnderTest: PathUnderTest, addresses: Record<Kind, string[]>) {
  const times: Record<Kind, number[]> = { known: [], unknown: [] };
  const statuses = new Set<string>();
  const order = shuffled([
    ...addresses.known.map((address) => ({ kind: "known" as const, address })),
    ...addresses.unknown.map((address) => ({ kind: "unknown" as const, address })),
  ]);
  for (const [index, { kind, address }] of order.entries()) {
    const answer = await pathUnderTest.send(address, nextClientAddress());
    statuses.add(`${kind} ${answer.status}`);
    if (index >= WARM_UP_PER_KIND * 2) times[kind].push(answer.ms);
    await sleep(GAP_MS);
  }
  return { times, statuses: [...statuses].sort() };
}

async function main() {
  if (!existsSync(".next/BUILD_ID")) {
    console.log("no production build in .next/: running next build");
    if (spawnSync("npx", ["next", "build"], { stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } }).status !== 0) process.exit(1);
  }
  const actionIds = readActionIds();
  const root = await mkdtemp(path.join(tmpdir(), "latchkey-timing-"));
  const postgres = await startEmbeddedPostgres({ dataDir: path.join(root, "pg"), persistent: false });
  const databaseUrl = new URL(postgres.url);
  databaseUrl.pathname = "/timing";
  let app: RunningServer | undefined;
  try {
    await applyMigrations(databaseUrl.toString());
    const perPath = REQUESTS_PER_KIND + WARM_UP_PER_KIND;
    const paths = buildPaths(actionIds);
    const known = await seedAccounts(databaseUrl.toString(), paths.length * perPath);
    const unknown = () => `nobody-${randomBytes(6).toString("hex")}@timing.test`;

    app = await startApp({
      port: PORT,
      env: {
        DATABASE_URL: databaseUrl.toString(),
        AUTH_SECRET: randomBytes(32).toString("base64url"),
        APP_URL: `http://localhost:${PORT}`,
        SMTP_URL: "",
      },
    });

    console.log(`${REQUESTS_PER_KIND} known and ${REQUESTS_PER_KIND} unknown addresses per path, shuffled, one request at a time`);
    console.log(`${"path".padEnd(34)}${"known ms".padStart(10)}${"unknown ms".padStart(12)}${"diff ms".padStart(10)}${"p".padStart(8)}  goal  statuses`);
    let apiCodeAddresses: Record<Kind, string[]> | undefined;
    for (const [index, pathUnderTest] of paths.entries()) {
      // The code exchange guesses against the codes the code request just issued.
      const addresses =
        pathUnderTest.name.startsWith("POST /api/auth/token (code") && apiCodeAddresses
          ? apiCodeAddresses
          : { known: known.slice(index * perPath, (index + 1) * perPath), unknown: Array.from({ length: perPath }, unknown) };
      if (pathUnderTest.name === "POST /api/auth/code") apiCodeAddresses = addresses;
      const { times, statuses } = await measurePath(pathUnderTest, addresses);
      const [knownMedian, unknownMedian] = [median(times.known), median(times.unknown)];
      const difference = knownMedian - unknownMedian;
      const p = mannWhitneyP(times.known, times.unknown);
      const met = Math.abs(difference) < 1 && p >= 0.01;
      console.log(
        `${pathUnderTest.name.padEnd(34)}${knownMedian.toFixed(2).padStart(10)}${unknownMedian.toFixed(2).padStart(12)}${difference.toFixed(2).padStart(10)}${p.toFixed(3).padStart(8)}  ${met ? "met " : "MISS"}  ${statuses.join(", ")}`,
      );
    }
  } finally {
    await app?.stop();
    await postgres.stop();
    await rm(root, { recursive: true, force: true });
  }
}

function buildPaths(actionIds: Map<string, string>): PathUnderTest[] {
  const action = (page: string, name: string, input: (address: string) => unknown) => (address: string, from: string) =>
    callAction(actionIds, page, name, input(address))(from);
  return [
    { name: "POST /api/auth/code", send: (email, from) => postJson("/api/auth/code", { email })(from) },
    {
      name: "POST /api/auth/token (code, wrong)",
      send: (email, from) => postJson("/api/auth/token", { email, code: "000000", deviceName: "Bench" })(from),
    },
    {
      name: "POST /api/auth/token (password)",
      send: (email, from) => postJson("/api/auth/token", { email, password: WRONG_PASSWORD, deviceName: "Bench" })(from),
    },
    { name: "sign-up (email, password)", send: action("/sign-up", "signUpWithEmailAction", (email) => ({ email, password: PASSWORD })) },
    { name: "sign-in: request a code", send: action("/sign-in", "requestSignInCodeAction", (email) => ({ contact: email })) },
    { name: "sign-in: password", send: action("/sign-in", "passwordSignInAction", (email) => ({ contact: email, password: WRONG_PASSWORD })) },
    { name: "password reset request", send: action("/reset", "requestResetAction", (email) => ({ email })) },
    { name: "resend a sign-in code", send: action("/verify", "resendCodeAction", (email) => ({ purpose: "signin", contact: email })) },
  ];
}

/** `count` confirmed, complete accounts with a password, in one statement; their addresses. */
async function seedAccounts(databaseUrl: string, count: number): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ email: string }>(
      `INSERT INTO users (id, email, email_verified, password, is_profile_complete, updated_at)
       SELECT gen_random_uuid(), 'known-' || n || '@timing.test', true, $1, true, now() FROM generate_series(1, $2::int) AS n
       RETURNING email`,
      [await hashPassword(PASSWORD), count],
    );
    return shuffled(rows.map((row) => row.email));
  } finally {
    await client.end();
  }
}

await main();

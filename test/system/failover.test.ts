// Losing the database primary under load loses nothing acknowledged (issue 26 part 2, ADR 0061):
// two production servers behind HAProxy, in front of three Patroni-managed PostgreSQL nodes in
// synchronous mode, under a steady mixed load (test/mixed-load.ts). The primary's postmaster is
// killed with SIGKILL; then the new primary is cut off (its Patroni and etcd member stop, as in a
// network partition); then the old primaries rejoin and a switchover moves the primary back.
// Every request gets an answer (a success, or 503 with Retry-After while there is no primary),
// the same server processes serve throughout, a rate limit and the wrong guesses at a code keep
// counting across the failover, and SQL on the final primary finds every acknowledged sign-up,
// upload and claim, no key handed out twice and no mail lost or sent twice.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyMigrations } from "../../lib/db/migrations";
import { startHaCluster, type HaCluster, type HaNode } from "../ha/cluster";
import { generateClientKeys } from "../keys";
import { startMixedLoad, summarize, unexpectedAnswers, type MixedLoad } from "../mixed-load";
import { startSmtpCapture } from "../smtp";
import { sql } from "./sql";
import { startApp, type AppInstance } from "./stack";

let cluster: HaCluster;
let smtp: Awaited<ReturnType<typeof startSmtpCapture>>;
let apps: AppInstance[] = [];
const loads: MixedLoad[] = [];
/** Seconds without a primary that would take a write, per case, for the report at the end. */
const withoutPrimary: Record<string, number> = {};

beforeAll(async () => {
  [cluster, smtp] = await Promise.all([startHaCluster(), startSmtpCapture()]);
  await applyMigrations(cluster.appUrl);
  // One secret for both servers: a code requested on one is checked on the other.
  const env = { SMTP_URL: smtp.url, TRUSTED_PROXIES: "127.0.0.1", OUTBOX_POLL_SECONDS: "1", AUTH_SECRET: randomBytes(32).toString("base64url") };
  apps = await Promise.all([startApp({ databaseUrl: cluster.appUrl, env }), startApp({ databaseUrl: cluster.appUrl, env })]);
}, 240_000);

afterAll(async () => {
  await Promise.all(loads.map((load) => load.stop()));
  await Promise.all([...apps.map((app) => app.stop()), smtp?.close()]);
  await cluster?.down();
  console.log(`failover: seconds without a primary ${JSON.stringify(withoutPrimary)}`);
}, 120_000);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Writes through HAProxy every 100 ms until stopped; `longestGap` is the longest time (ms) between
 * two committed writes: how long the app had no primary to write to.
 */
function probeWrites() {
  let running = true;
  let lastCommit = Date.now();
  let longestGap = 0;
  const loop = (async () => {
    while (running) {
      const client = new pg.Client({ connectionString: cluster.appUrl, connectionTimeoutMillis: 1_000, query_timeout: 1_000 });
      client.on("error", () => {}); // the server going away mid-query: the query's own error says so
      try {
        await client.connect();
        await client.query("INSERT INTO failover_probe DEFAULT VALUES");
        longestGap = Math.max(longestGap, Date.now() - lastCommit);
        lastCommit = Date.now();
      } catch {
        // no primary right now
      } finally {
        void client.end().catch(() => {});
      }
      await sleep(100);
    }
  })();
  return {
    committedSince: (since: number) => lastCommit > since,
    async stop() {
      running = false;
      await loop;
      return longestGap;
    },
  };
}

/**
 * Runs the load around `disrupt` (which takes the primary away from `primary`), until another node
 * is primary and has taken writes for a few seconds.
 */
async function underLoad(name: string, primary: HaNode, disrupt: () => Promise<void>): Promise<MixedLoad> {
  const load = startMixedLoad({ appUrls: apps.map((app) => app.url), smtp, workers: 4 });
  loads.push(load);
  // Accounts with keys to fetch before the disruption, so that every kind of request meets it.
  for (const deadline = Date.now() + 60_000; load.uploads.length < 4 || load.claimed.length === 0; ) {
    if (Date.now() > deadline) throw new Error(`the load did not get going: ${summarize(load.outcomes)}`);
    await sleep(200);
  }
  const probe = probeWrites();
  try {
    await sleep(1_000);
    await disrupt();
    await cluster.waitForPrimary({ not: primary, timeoutMs: 60_000 });
    const promoted = Date.now();
    while (!probe.committedSince(promoted)) await sleep(200);
    await sleep(5_000);
  } finally {
    withoutPrimary[name] = (await probe.stop()) / 1000;
    await load.stop();
  }
  console.log(`${name}: ${withoutPrimary[name]} s without a primary; ${summarize(load.outcomes)}`);
  return load;
}

function expectEveryAnswerAcceptable(load: MixedLoad) {
  const unexpected = unexpectedAnswers(load.outcomes).map(({ operation, status, body }) => {
    // A 500 names its request id; the server logged the fault under it.
    const requestId = /request ([\w-]+)\)/.exec(body)?.[1];
    const log = requestId ? apps.map((app) => app.output()).join("\n").split("\n").filter((line, index, lines) => lines.slice(Math.max(0, index - 6), index + 1).some((near) => near.includes(requestId))).slice(0, 12) : [];
    return { operation, status, body: body.slice(0, 200), log };
  });
  expect(unexpected).toEqual([]);
  for (const outcome of load.outcomes.filter((entry) => entry.status === 503 && entry.operation !== "page")) {
    expect(outcome.retryAfter).toBe("5");
    expect(JSON.parse(outcome.body)).toMatchObject({ error: { code: "service_unavailable" } });
  }
  // The load kept being served: writes were acknowledged on both servers, before and after.
  expect(load.signUps.length).toBeGreaterThan(2);
  expect(load.claimed.length).toBeGreaterThan(0);
  for (const app of apps) expect(app.process.exitCode).toBeNull();
}

const post = (body: unknown, client: string, authorization?: string): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/json", "x-forwarded-for": client, ...(authorization ? { authorization } : {}) },
  body: JSON.stringify(body),
});

/** A messaging client signed up by code through the API, with keys uploaded. */
async function apiClient(email: string, client: string) {
  const app = apps[0]!.url;
  expect((await fetch(`${app}/api/auth/code`, post({ email }, client))).status).toBe(202);
  const code = /\b(\d{6})\b/.exec((await smtp.waitForMail(email, () => true, 30_000)).text)![1]!;
  const signedIn = await fetch(`${app}/api/auth/token`, post({ email, code, deviceName: "Counting client" }, client));
  const { userId, token } = (await signedIn.json()) as { userId: string; token: string };
  const authorization = `Bearer ${token}`;
  const upload = generateClientKeys({ preKeys: 12, pqPreKeys: 12 }).upload;
  expect((await fetch(`${app}/api/keys`, { ...post(upload, client, authorization), method: "PUT" })).status).toBe(204);
  return { userId, authorization };
}

/** The answer to a wrong guess at `code` for `email`. */
async function guessWrong(email: string, code: string): Promise<string> {
  const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, "0");
  const answer = await fetch(`${apps[1]!.url}/api/auth/token`, post({ email, code: wrong, deviceName: "Guess" }, "10.255.0.9"));
  expect(answer.status).toBe(400);
  return ((await answer.json()) as { error: { message: string } }).error.message;
}

describe("losing the primary under load", () => {
  let partitioned: HaNode;

  it("kill -9 of the primary's postmaster: a synchronous standby takes over, every answer a success or a 503", async () => {
    const original = await cluster.waitForPrimary();
    await sql(cluster.appUrl, "CREATE TABLE failover_probe (id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now())");
    // Counters that must survive: a rate limit used up and wrong guesses at a code, just before.
    const [requester, target] = [await apiClient("requester@example.test", "10.255.0.1"), await apiClient("target@example.test", "10.255.0.2")];
    expect((await fetch(`${apps[0]!.url}/api/auth/code`, post({ email: "guessed@example.test" }, "10.255.0.3"))).status).toBe(202);
    const guessed = /\b(\d{6})\b/.exec((await smtp.waitForMail("guessed@example.test", () => true, 30_000)).text)![1]!;
    const fetchBundle = () => fetch(`${apps[1]!.url}/api/keys/${target.userId}/*`, { headers: { authorization: requester.authorization } });
    const load = await underLoad("postmaster killed", original, async () => {
      for (let fetches = 0; fetches < 10; fetches++) expect((await fetchBundle()).status).toBe(200); // the burst (CLAIM_LIMIT)
      for (let guesses = 0; guesses < 3; guesses++) await guessWrong("guessed@example.test", guessed);
      await cluster.killPostmaster(original);
    });
    const promoted = await cluster.waitForPrimary();
    expect(promoted.name).not.toBe(original.name);
    expectEveryAnswerAcceptable(load);
    expect((await fetchBundle()).status).toBe(429);
    expect(await guessWrong("guessed@example.test", guessed)).toBe("That code is not right. 1 attempt left.");
    expect(withoutPrimary["postmaster killed"]).toBeLessThan(30);
  });

  it("the primary cut off (its Patroni and etcd member stop): promoted after the leader key expires", async () => {
    partitioned = await cluster.waitForPrimary();
    const load = await underLoad("primary partitioned", partitioned, async () => {
      await cluster.stopPatroni(partitioned, "SIGKILL");
      await cluster.stopEtcd(partitioned);
    });
    expectEveryAnswerAcceptable(load);
    expect(withoutPrimary["primary partitioned"]).toBeLessThan(30);
    // Back on the network: its Patroni finds another leader and turns its PostgreSQL (still
    // running as a primary all along) into a replica, rewinding it if needed.
    await cluster.startEtcd(partitioned);
    await cluster.startPatroni(partitioned);
  });

  it("the old primaries rejoin as replicas, and a switchover under load fails nothing beyond 503s", async () => {
    await cluster.waitForHealthy(90_000);
    const members = await cluster.members();
    const leader = members.find((member) => member.role === "leader")!;
    expect(members.map((member) => member.timeline)).toEqual(members.map(() => leader.timeline));
    // In synchronous mode Patroni hands over only to the synchronous standby: one of the two
    // nodes that rejoined, or the one that has been a replica throughout.
    const candidate = cluster.nodes.find((node) => node.name === members.find((member) => member.role === "sync_standby")!.name)!;
    const load = await underLoad("switchover", await cluster.waitForPrimary(), async () => {
      await cluster.switchover(candidate);
    });
    expect((await cluster.waitForPrimary()).name).toBe(candidate.name);
    expectEveryAnswerAcceptable(load);
  });

  it("keeps every acknowledged sign-up, upload and claim, hands out no key twice and loses or repeats no mail", async () => {
    const signUps = loads.flatMap((load) => load.signUps);
    const uploads = loads.flatMap((load) => load.uploads);
    const claimed = loads.flatMap((load) => load.claimed);
    const codeRequests = loads.flatMap((load) => load.codeRequests);

    const storedUsers = await sql<{ id: string }>(cluster.appUrl, "SELECT d.user_id AS id FROM devices d JOIN sessions s ON s.device_id = d.id WHERE d.id = ANY($1::uuid[])", [signUps.map((entry) => entry.deviceId)]);
    expect(new Set(storedUsers.map((row) => row.id))).toEqual(new Set(signUps.map((entry) => entry.userId)));

    const storedKeys = await sql<{ device_id: string; ec: string; pq: string; identity: string }>(
      cluster.appUrl,
      `SELECT d.id AS device_id,
         (SELECT count(*) FROM one_time_prekeys k WHERE k.device_id = d.id) AS ec,
         (SELECT count(*) FROM kyber_prekeys k WHERE k.device_id = d.id) AS pq,
         (SELECT count(*) FROM identity_keys k WHERE k.device_id = d.id) AS identity
       FROM devices d WHERE d.id = ANY($1::uuid[])`,
      [uploads.map((entry) => entry.deviceId)],
    );
    expect(storedKeys).toHaveLength(uploads.length);
    for (const row of storedKeys) expect([row.identity, row.ec, row.pq].map(Number)).toEqual([1, 5, 5]);

    // No one-time key in two acknowledged answers, and every key handed out is marked used.
    const identities = claimed.map((key) => `${key.kind}:${key.deviceId}:${key.keyId}`);
    expect(identities.length - new Set(identities).size).toBe(0);
    for (const [kind, table] of [["ec", "one_time_prekeys"], ["pq", "kyber_prekeys"]] as const) {
      const keys = claimed.filter((key) => key.kind === kind);
      const [unused] = await sql<{ count: string }>(
        cluster.appUrl,
        `SELECT count(*) FROM ${table} k JOIN unnest($1::uuid[], $2::int[]) AS c(device_id, key_id) ON c.device_id = k.device_id AND c.key_id = k.key_id WHERE NOT k.used`,
        [keys.map((key) => key.deviceId), keys.map((key) => key.keyId)],
      );
      expect(Number(unused!.count)).toBe(0);
    }

    // Mail: a message whose delivery lease a failover interrupted waits out its lease (ADR 0030);
    // end the leases now instead of waiting two minutes, then every queued code must arrive once.
    await sql(cluster.appUrl, "UPDATE outbox_messages SET next_attempt_at = now() WHERE status = 'PENDING'");
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const [pending] = await sql<{ count: string }>(cluster.appUrl, "SELECT count(*) FROM outbox_messages WHERE status = 'PENDING'");
      if (Number(pending!.count) === 0) break;
      await sleep(500);
    }
    const outbox = await sql<{ to: string; status: string }>(cluster.appUrl, "SELECT \"to\", status::text FROM outbox_messages");
    expect(outbox.filter((message) => message.status !== "SENT")).toEqual([]);
    const queued = new Map<string, number>();
    for (const message of outbox) queued.set(message.to, (queued.get(message.to) ?? 0) + 1);
    const delivered = new Map<string, number>();
    for (const mail of smtp.messages) for (const to of mail.to) delivered.set(to, (delivered.get(to) ?? 0) + 1);
    for (const email of codeRequests) expect(queued.get(email), email).toBe(1);
    for (const [to, count] of queued) expect(delivered.get(to) ?? 0, to).toBe(count);
  });
});

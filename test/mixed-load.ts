// A steady mixed load on running Latchkey servers, the way messaging clients and browsers use it:
// API sign-ups by code (the code travels through the outbox to a real SMTP server), key uploads,
// bundle fetches (each claims one-time keys), key counts and page loads. Every answer is recorded,
// and so is everything a server acknowledged, so that a test can check with SQL afterwards that
// nothing acknowledged was lost (test/system/failover.test.ts) and a benchmark can watch latency
// and memory over time (`npm run bench -- soak`).
//
// Each simulated client has its own address in X-Forwarded-For (the servers must trust 127.0.0.1
// as a proxy): per-address limits then see many clients, as behind a real load balancer.
import { randomBytes } from "node:crypto";
import type { startSmtpCapture } from "./smtp";
import { generateClientKeys } from "./keys";

export type LoadOperation = "code" | "sign-up" | "upload" | "claim" | "count" | "page";

export type LoadOutcome = {
  operation: LoadOperation;
  app: string;
  /** 0 when no answer came (a network error, or no answer within the request timeout). */
  status: number;
  retryAfter: string | null;
  startedAt: number;
  ms: number;
  body: string;
  /** The device an upload was for. */
  deviceId?: string;
};

export type LoadDevice = { email: string; userId: string; deviceId: string; authorization: string };
/** One key handed out in an acknowledged (200) bundle. */
export type ClaimedKey = { kind: "ec" | "pq"; deviceId: string; keyId: number };

export type MixedLoad = {
  outcomes: LoadOutcome[];
  /** Addresses whose code request was acknowledged (202): their mail must be delivered exactly once. */
  codeRequests: string[];
  signUps: LoadDevice[];
  /** Devices whose key upload was acknowledged (204), with the ids of their one-time keys. */
  uploads: Array<{ deviceId: string; preKeyIds: number[]; pqPreKeyIds: number[] }>;
  claimed: ClaimedKey[];
  /** Stops starting new rounds and waits for the running ones. */
  stop(): Promise<void>;
};

export type MixedLoadOptions = {
  appUrls: string[];
  smtp: Awaited<ReturnType<typeof startSmtpCapture>>;
  workers: number;
  /** Pause between one worker's rounds (ms). */
  pauseMs?: number;
  /** An answer slower than this counts as none (status 0): a hang. */
  requestTimeoutMs?: number;
  /** How long a sign-up waits for its code's mail before giving up on that sign-up. */
  mailWaitMs?: number;
  /** One-time keys of each kind per uploaded device. */
  keysPerUpload?: number;
  /** Devices kept for claims; the oldest leave when more sign up (bounded memory in a soak). */
  maxDevices?: number;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function startMixedLoad(options: MixedLoadOptions): MixedLoad {
  const { appUrls, smtp, pauseMs = 100, requestTimeoutMs = 30_000, mailWaitMs = 30_000, keysPerUpload = 5, maxDevices = 200 } = options;
  const run = randomBytes(3).toString("hex");
  const load: MixedLoad = { outcomes: [], codeRequests: [], signUps: [], uploads: [], claimed: [], stop: async () => {} };
  const devices: LoadDevice[] = [];
  let sequence = 0;
  let running = true;

  async function call(operation: LoadOperation, app: string, pathname: string, init: { method?: string; body?: unknown; client: string; authorization?: string; deviceId?: string }): Promise<LoadOutcome> {
    const startedAt = Date.now();
    const headers: Record<string, string> = { "x-forwarded-for": init.client };
    if (init.authorization) headers.authorization = init.authorization;
    if (init.body !== undefined) headers["content-type"] = "application/json";
    let outcome: LoadOutcome;
    try {
      const response = await fetch(`${app}${pathname}`, {
        method: init.method ?? "GET",
        headers,
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
        signal: AbortSignal.timeout(requestTimeoutMs),
      });
      const body = await response.text();
      outcome = { operation, app, status: response.status, retryAfter: response.headers.get("retry-after"), startedAt, ms: Date.now() - startedAt, body };
    } catch (error) {
      outcome = { operation, app, status: 0, retryAfter: null, startedAt, ms: Date.now() - startedAt, body: String(error) };
    }
    if (init.deviceId) outcome.deviceId = init.deviceId;
    load.outcomes.push(outcome);
    return outcome;
  }

  const pick = <T>(list: T[]) => list[Math.floor(Math.random() * list.length)]!;

  async function signUp(app: string, client: string): Promise<void> {
    const email = `load-${run}-${sequence}@example.test`;
    const requested = await call("code", app, "/api/auth/code", { method: "POST", body: { email }, client });
    if (requested.status !== 202) return;
    load.codeRequests.push(email);
    const mail = await smtp.waitForMail(email, () => true, mailWaitMs).catch(() => null);
    const code = mail && /\b(\d{6})\b/.exec(mail.text)?.[1];
    if (!code) return;
    const signedIn = await call("sign-up", pick(appUrls), "/api/auth/token", { method: "POST", body: { email, code, deviceName: "Load client" }, client });
    if (signedIn.status !== 201) return;
    const { userId, deviceId, token } = JSON.parse(signedIn.body) as { userId: string; deviceId: string; token: string };
    const device = { email, userId, deviceId, authorization: `Bearer ${token}` };
    load.signUps.push(device);
    const keys = generateClientKeys({ preKeys: keysPerUpload, pqPreKeys: keysPerUpload }).upload;
    const uploaded = await call("upload", pick(appUrls), "/api/keys", { method: "PUT", body: keys, client, authorization: device.authorization, deviceId });
    if (uploaded.status !== 204) return;
    load.uploads.push({ deviceId, preKeyIds: (keys.preKeys ?? []).map((key) => key.keyId), pqPreKeyIds: (keys.pqPreKeys ?? []).map((key) => key.keyId) });
    devices.push(device);
    if (devices.length > maxDevices) devices.shift();
  }

  async function claim(app: string, client: string): Promise<void> {
    const claimer = pick(devices);
    const targets = devices.filter((device) => device.userId !== claimer.userId);
    if (targets.length === 0) return;
    const target = pick(targets);
    const fetched = await call("claim", app, `/api/keys/${target.userId}/*`, { client, authorization: claimer.authorization });
    if (fetched.status !== 200) return;
    const bundle = JSON.parse(fetched.body) as { devices: Array<{ deviceId: string; preKey: { keyId: number } | null; pqPreKey: { keyId: number } }> };
    for (const device of bundle.devices) {
      if (device.preKey) load.claimed.push({ kind: "ec", deviceId: device.deviceId, keyId: device.preKey.keyId });
      // The last-resort Kyber key (id after the one-time ones) is served again by design.
      if (device.pqPreKey.keyId <= keysPerUpload) load.claimed.push({ kind: "pq", deviceId: device.deviceId, keyId: device.pqPreKey.keyId });
    }
  }

  async function worker(index: number): Promise<void> {
    for (let round = 0; running; round++) {
      const app = appUrls[(index + round) % appUrls.length]!;
      sequence += 1;
      const client = `10.${(sequence >> 16) & 255}.${(sequence >> 8) & 255}.${sequence & 255}`;
      await signUp(app, client);
      if (devices.length >= 2) {
        for (let fetches = 0; fetches < 3 && running; fetches++) await claim(pick(appUrls), client);
        await call("count", pick(appUrls), "/api/keys/count", { client, authorization: pick(devices).authorization });
      }
      await call("page", pick(appUrls), "/sign-in", { client });
      await sleep(pauseMs);
    }
  }

  const workers = Array.from({ length: options.workers }, (_, index) => worker(index));
  load.stop = async () => {
    running = false;
    await Promise.all(workers);
  };
  return load;
}

/** Answers that are neither a success, a refusal the load provoked (429), nor a 503 with Retry-After. */
export function unexpectedAnswers(outcomes: LoadOutcome[]): LoadOutcome[] {
  return outcomes.filter((outcome) => {
    if (outcome.status >= 200 && outcome.status < 300) return false;
    if (outcome.status === 429) return false;
    if (outcome.status === 503) return outcome.operation !== "page" && outcome.retryAfter === null;
    return true;
  });
}

/** "claim 200: 41, claim 503: 2, …": what a run's answers were, for logs and failure messages. */
export function summarize(outcomes: LoadOutcome[]): string {
  const counts = new Map<string, number>();
  for (const outcome of outcomes) counts.set(`${outcome.operation} ${outcome.status}`, (counts.get(`${outcome.operation} ${outcome.status}`) ?? 0) + 1);
  return [...counts].sort().map(([key, count]) => `${key}: ${count}`).join(", ");
}

// HTTP load for the stack benchmark: closed-loop clients on keep-alive connections, each request
// timed from write to last byte. node:http rather than fetch so a client can pick its loopback
// source address (127.0.0.x): per-IP limits then see distinct clients, as they would in the field.
import http from "node:http";
import { percentile } from "./_harness";

export type BenchRequest = { method?: string; path: string; token?: string; body?: string };

export type LoadResult = {
  count: number;
  perSecond: number;
  p50: number;
  p99: number;
  /** Answers by status code, so a run that hit a limit or an error shows it. */
  statuses: Record<number, number>;
  latencies: number[];
};

export type LoadOptions = {
  baseUrl: string;
  concurrency: number;
  /** Stop after this many milliseconds, or after `count` requests, whichever comes first. */
  durationMs?: number;
  count?: number;
  /** The n-th request of the run (n counts from 0 across all clients). */
  request: (n: number) => BenchRequest;
  localAddress?: string;
  /** Stops early when this resolves (a background load running while something else is measured). */
  until?: Promise<unknown>;
};

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency, localAddress: options.localAddress });
  const url = new URL(options.baseUrl);
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  let next = 0;
  let stopped = false;
  void options.until?.then(() => (stopped = true));
  const deadline = options.durationMs === undefined ? Infinity : performance.now() + options.durationMs;
  const limit = options.count ?? Infinity;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (!stopped && next < limit && performance.now() < deadline) {
        const request = options.request(next++);
        const began = performance.now();
        const status = await send(agent, url, request);
        latencies.push(performance.now() - began);
        statuses[status] = (statuses[status] ?? 0) + 1;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return { count: latencies.length, perSecond: latencies.length / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), statuses, latencies };
}

function send(agent: http.Agent, base: URL, request: BenchRequest): Promise<number> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { "user-agent": "latchkey-bench" };
    if (request.token) headers.authorization = `Bearer ${request.token}`;
    if (request.body !== undefined) {
      headers["content-type"] = "application/json";
      headers["content-length"] = String(Buffer.byteLength(request.body));
    }
    const outgoing = http.request(
      { agent, host: base.hostname, port: base.port, method: request.method ?? "GET", path: request.path, headers },
      (response) => {
        response.on("data", () => {});
        response.on("end", () => resolve(response.statusCode ?? 0));
        response.on("error", reject);
      },
    );
    outgoing.on("error", reject);
    outgoing.end(request.body);
  });
}

/** "n 200, m 429" for a run's answers. */
export const describeStatuses = (statuses: Record<number, number>) =>
  Object.entries(statuses)
    .map(([status, count]) => `${count}×${status}`)
    .join(" ");

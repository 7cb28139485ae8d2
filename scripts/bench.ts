// `npm run bench`: runs the benchmarks below in turn, each in its own process with its own
// PostgreSQL, and writes the goals they report to bench/results.json (see README, Benchmarks).
// `npm run bench -- stack` runs only the benchmarks whose file name contains "stack"; other
// arguments (`--no-build`, `--minutes=N`) are passed on. The soak (10 minutes) runs only when
// named: `npm run bench -- soak`, and so does the failover (`npm run bench -- failover`).
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/** Every benchmark, in the order they run. */
const BENCHES = [
  "stack.ts", // issue 12: the app against a bare server, under data and under other work
  "auth.ts", // per-request checks and password hashing against baselines
  "timing-oracle.ts", // issue 16: known against unknown addresses on every public path
  "storage.ts", // bytes per user and per key row (docs/operations.md)
  "soak.ts", // issue 26: memory, latency and connections over 10 minutes of mixed load
  "failover.ts", // issue 26: seconds without a primary when it dies under load (Patroni, etcd, HAProxy; root)
];
const ON_REQUEST_ONLY = new Set(["soak.ts", "failover.ts"]);

const dir = path.join(import.meta.dirname, "bench");
const args = process.argv.slice(2);
const only = args.find((arg) => !arg.startsWith("--"));
const passOn = args.filter((arg) => arg.startsWith("--"));
const resultsFile = path.join(tmpdir(), `latchkey-bench-${process.pid}.jsonl`);
const started = Date.now();

for (const file of BENCHES.filter((name) => (only ? name.includes(only) : !ON_REQUEST_ONLY.has(name)))) {
  console.log(`\n▶ ${file}`);
  const result = spawnSync("npx", ["tsx", path.join(dir, file), ...passOn], {
    stdio: "inherit",
    env: { ...process.env, BENCH_RESULTS_FILE: resultsFile },
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const goals = existsSync(resultsFile)
  ? readFileSync(resultsFile, "utf8").trim().split("\n").filter(Boolean).map((line) => JSON.parse(line) as { met: boolean })
  : [];
rmSync(resultsFile, { force: true });
if (goals.length > 0) {
  const commit = spawnSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8" }).stdout.trim();
  mkdirSync("bench", { recursive: true });
  writeFileSync("bench/results.json", `${JSON.stringify({ measuredAt: new Date().toISOString(), commit, seconds: Math.round((Date.now() - started) / 1000), goals }, null, 2)}\n`);
  console.log(`\n${goals.filter((goal) => goal.met).length} of ${goals.length} goals met; written to bench/results.json (${Math.round((Date.now() - started) / 1000)} s)`);
}

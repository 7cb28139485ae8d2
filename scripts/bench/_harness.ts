// Shared by the benchmarks: a throwaway PostgreSQL with the schema applied, and a throughput
// measurement. Figures are only ever reported as ratios to a baseline measured in the same run.
import { appendFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { startEmbeddedPostgres } from "../../lib/db/embedded";
import { applyMigrations } from "../../lib/db/migrations";

/** Runs `bench` with DATABASE_URL pointing at a fresh, migrated database; cleans up after. */
export async function withBenchDatabase(bench: () => Promise<void>): Promise<void> {
  const root = await mkdtemp(path.join(tmpdir(), "latchkey-bench-"));
  const server = await startEmbeddedPostgres({ dataDir: path.join(root, "pg"), persistent: false });
  try {
    const url = new URL(server.url);
    url.pathname = "/bench";
    await applyMigrations(url.toString());
    process.env.DATABASE_URL = url.toString();
    process.env.AUTH_SECRET ??= "bench-secret-that-is-long-enough-for-hmac-keys";
    await bench();
  } finally {
    const { disconnectPrisma } = await import("../../lib/db");
    await disconnectPrisma();
    await server.stop();
    await rm(root, { recursive: true, force: true });
  }
}

/** Operations per second of `operation`, run `count` times by `concurrency` parallel loops. */
export async function measure(operation: () => Promise<unknown>, count: number, concurrency = 1): Promise<number> {
  let remaining = count;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (remaining-- > 0) await operation();
    }),
  );
  return count / ((performance.now() - started) / 1000);
}

/** Prints rows of (what, baseline ops/s, measured ops/s) with the ratio measured/baseline. */
export function printRatios(title: string, baselineName: string, rows: ReadonlyArray<readonly [string, number, number]>): void {
  console.log(title);
  console.log(`${"operation".padEnd(44)}${`${baselineName}/s`.padStart(22)}${"ops/s".padStart(10)}${"ratio".padStart(8)}`);
  for (const [name, baseline, measured] of rows) {
    console.log(
      `${name.padEnd(44)}${baseline.toFixed(0).padStart(22)}${measured.toFixed(0).padStart(10)}${(measured / baseline).toFixed(2).padStart(8)}`,
    );
  }
}

/** The p-th percentile (0–100) of `samples`, nearest rank. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** A goal of issue 12 as measured: `ratio` against its `limit` (`at-least` or `at-most`). */
export type GoalResult = {
  goal: string;
  ratio: number;
  limit: number;
  direction: "at-least" | "at-most";
  met: boolean;
  /** The figures the ratio was computed from (p50/p99 in ms, throughput per second). */
  figures: Record<string, number>;
};

/**
 * Prints a goal's figure with its goal and whether it is met, and appends it to the results file
 * the parent `npm run bench` collects (BENCH_RESULTS_FILE).
 */
export function reportGoal(goal: string, ratio: number, direction: GoalResult["direction"], limit: number, figures: Record<string, number>): GoalResult {
  const met = direction === "at-least" ? ratio >= limit : ratio <= limit;
  const result: GoalResult = { goal, ratio: round(ratio), limit, direction, met, figures: roundAll(figures) };
  const shown = Object.entries(result.figures)
    .map(([name, value]) => `${name} ${value}`)
    .join(", ");
  console.log(`  ${met ? "MET    " : "NOT MET"} ${goal}: ${result.ratio} (goal ${direction === "at-least" ? "≥" : "≤"} ${limit})  [${shown}]`);
  const file = process.env.BENCH_RESULTS_FILE;
  if (file) appendFileSync(file, `${JSON.stringify(result)}\n`);
  return result;
}

const round = (value: number) => Math.round(value * 100) / 100;
const roundAll = (figures: Record<string, number>) => Object.fromEntries(Object.entries(figures).map(([name, value]) => [name, round(value)]));

// Shared by the benchmarks: a throwaway PostgreSQL with the schema applied, and a throughput
// measurement. Figures are only ever reported as ratios to a baseline measured in the same run.
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

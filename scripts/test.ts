// `npm test`: every check, cheapest first: lint, types, unit + integration tests against a
// throwaway PostgreSQL, then one production build that the system tests (attacks and faults against
// the real server) and the Playwright e2e suite both run against.
import { spawnSync } from "node:child_process";
import { bundledChromium } from "./find-browser";
import { ensureSystemTools } from "./support/system-packages";

// Before anything runs, so that a fresh machine fails (or installs) in the first second, not after
// ten minutes of unit tests.
try {
  ensureSystemTools(["pgbouncer", "postgresql", "patroni", "etcd", "haproxy", ...(bundledChromium() ? [] : (["chromium"] as const))]);
} catch (error) {
  console.error(`✖ ${(error as Error).message}`);
  process.exit(1);
}

const steps: Array<[string, string[]]> = [
  ["lint", ["eslint", "."]],
  ["layout", ["depcruise", "lib", "components", "--config", ".dependency-cruiser.cjs"]],
  ["types", ["tsc", "--noEmit"]],
  ["unit and integration", ["vitest", "run"]],
  ["through pgbouncer", ["vitest", "run", "-c", "vitest.pgbouncer.config.ts"]],
  ["build", ["next", "build"]],
  ["system", ["vitest", "run", "-c", "vitest.system.config.ts"]],
  ["e2e", ["tsx", "scripts/e2e.ts", "--no-build"]],
];

for (const [name, args] of steps) {
  const started = Date.now();
  console.log(`\n▶ ${name}: npx ${args.join(" ")}`);
  const result = spawnSync("npx", args, { stdio: "inherit" });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    console.error(`✖ ${name} failed after ${seconds} s`);
    process.exit(result.status ?? 1);
  }
  console.log(`✔ ${name} passed in ${seconds} s`);
}

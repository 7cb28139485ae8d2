// `npm test`: every check, cheapest first: lint, types, unit + integration tests against a
// throwaway PostgreSQL, then one production build that the system tests (attacks and faults against
// the real server) and the Playwright e2e suite both run against.
import { spawn } from "node:child_process";
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

type Step = [name: string, args: string[]];

// The static checks are single-threaded and independent: they run side by side.
const staticChecks: Step[] = [
  ["lint", ["eslint", "."]],
  ["layout", ["depcruise", "lib", "components", "--config", ".dependency-cruiser.cjs"]],
  ["types", ["tsc", "--noEmit"]],
];

const steps: Step[] = [
  ["unit and integration", ["vitest", "run"]],
  ["through pgbouncer", ["vitest", "run", "-c", "vitest.pgbouncer.config.ts"]],
  ["build", ["next", "build"]],
  ["system", ["vitest", "run", "-c", "vitest.system.config.ts"]],
  ["e2e", ["tsx", "scripts/e2e.ts", "--no-build"]],
];

/** Runs `args` with npx; its output is shown as it comes (inherit) or, for a step run beside others, at its end. */
function runStep([name, args]: Step, alongsideOthers: boolean): Promise<void> {
  const started = Date.now();
  console.log(`\n▶ ${name}: npx ${args.join(" ")}`);
  const child = spawn("npx", args, { stdio: alongsideOthers ? ["ignore", "pipe", "pipe"] : "inherit" });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => {
    child.once("exit", (code) => {
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      if (output) process.stdout.write(output);
      if (code !== 0) {
        console.error(`✖ ${name} failed after ${seconds} s`);
        process.exit(code ?? 1);
      }
      console.log(`✔ ${name} passed in ${seconds} s`);
      resolve();
    });
  });
}

const started = Date.now();
await Promise.all(staticChecks.map((step) => runStep(step, true)));
for (const step of steps) await runStep(step, false);
console.log(`\n✔ every step passed in ${((Date.now() - started) / 1000).toFixed(1)} s`);

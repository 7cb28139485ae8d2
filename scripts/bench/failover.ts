// `npm run bench -- failover` (issue 26): the time without a primary when the PostgreSQL primary
// dies under load, from the real scenario: test/system/failover.test.ts runs three Patroni nodes,
// etcd and HAProxy with two production servers under the mixed load, kills the primary's
// postmaster, partitions the next one away and switches over, and prints the longest gap between
// commits of a probe writing every 100 ms. Each case is reported over the 30 s goal.
// Needs root (PostgreSQL runs as `postgres` via runuser) and Debian's patroni, etcd-server and
// haproxy, which `npm test` installs when missing. `--no-build` reuses the last `next build`.
import { spawnSync } from "node:child_process";
import { reportGoal } from "./_harness";
import { buildApp } from "./_servers";

const GOAL_SECONDS = 30;

if (!process.argv.includes("--no-build")) buildApp();
const run = spawnSync("npx", ["vitest", "run", "-c", "vitest.system.config.ts", "test/system/failover.test.ts"], { encoding: "utf8", env: process.env });
process.stdout.write(run.stdout.split("\n").filter((line) => /without a primary|passed|failed/.test(line)).join("\n") + "\n");
const figures = /failover: seconds without a primary (\{.*\})/.exec(run.stdout)?.[1];
if (run.status !== 0 || !figures) {
  console.error(run.stdout.slice(-4000), run.stderr.slice(-2000));
  process.exit(1);
}
for (const [scenario, seconds] of Object.entries(JSON.parse(figures) as Record<string, number>)) {
  reportGoal(`failover, ${scenario}: seconds without a primary / ${GOAL_SECONDS} s`, seconds / GOAL_SECONDS, "at-most", 1, { seconds, goalSeconds: GOAL_SECONDS });
}

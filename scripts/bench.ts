// `npm run bench`: runs every benchmark in scripts/bench/ in turn. Each one starts its own
// PostgreSQL, measures a baseline in the same run, and prints its figures as ratios to it
// (timing-oracle.ts compares addresses with and without an account against the production build).
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";

const dir = path.join(import.meta.dirname, "bench");
const only = process.argv[2];
const benches = readdirSync(dir)
  .filter((file) => file.endsWith(".ts") && !file.startsWith("_"))
  .filter((file) => !only || file.includes(only))
  .sort();

for (const file of benches) {
  console.log(`\n▶ ${file}`);
  const result = spawnSync("npx", ["tsx", path.join(dir, file)], { stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

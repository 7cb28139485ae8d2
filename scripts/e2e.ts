// `npm run test:e2e`: builds the app and runs the Playwright suite against `next start`
// (e2e/support/server.ts gives it a throwaway database and captured mail and SMS).
import { spawnSync } from "node:child_process";
import { findChromium } from "./find-browser";

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): void {
  const result = spawnSync(command, args, { stdio: "inherit", env });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

process.env.NEXT_TELEMETRY_DISABLED = "1";
const browser = findChromium();
if (!process.argv.includes("--no-build")) run("npx", ["next", "build"]);
const passThrough = process.argv.slice(2).filter((arg) => arg !== "--no-build");
run("npx", ["playwright", "test", ...passThrough], { ...process.env, PLAYWRIGHT_CHROMIUM_PATH: browser });

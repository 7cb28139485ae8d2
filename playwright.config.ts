import { defineConfig, devices } from "@playwright/test";
import { e2eBaseUrl } from "./e2e/support/ports";

// scripts/e2e.ts finds a browser (Playwright's own, or Debian's chromium) and passes its path.
const executablePath = process.env.PLAYWRIGHT_CHROMIUM_PATH || undefined;

export default defineConfig({
  testDir: "e2e",
  testMatch: "**/*.spec.ts",
  fullyParallel: true,
  // One worker: the app server and PostgreSQL share the machine's cores with the browser, and on
  // 2 cores a second worker made the suite slower (4.4 min vs 3.7 min) and journeys time out.
  workers: 1,
  retries: 0,
  // Journeys of several pages and two browsers; on a busy 2-core CI machine a minute is tight.
  timeout: 120_000,
  expect: { timeout: 10_000 },
  reporter: [["list"]],
  use: {
    baseURL: e2eBaseUrl,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"] } }],
  webServer: {
    command: "npx tsx e2e/support/server.ts",
    url: `${e2eBaseUrl}/api/health`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "pipe",
    stderr: "pipe",
    gracefulShutdown: { signal: "SIGTERM", timeout: 10_000 },
  },
});

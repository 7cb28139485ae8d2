// Measures the sign-in page's JavaScript and a time-to-interactive proxy against the production
// build (`next build` first), so a change can be compared with the page before it (issue 25: keep
// both within a tenth). Not a test: timings on a shared machine vary, so it prints medians.
// Usage: npx tsx scripts/measure-sign-in.ts [runs]
import { spawn } from "node:child_process";
import { chromium } from "@playwright/test";
import { findChromium } from "./find-browser";

const port = Number(process.env.E2E_BASE_PORT ?? 3460);
const base = `http://localhost:${port}`;
const runs = Number(process.argv[2] ?? 7);

async function waitForHealth(): Promise<void> {
  for (let attempt = 0; attempt < 240; attempt += 1) {
    if (await fetch(`${base}/api/health`).then((response) => response.ok, () => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error("the server did not come up");
}

const median = (values: number[]) => values.toSorted((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

async function main() {
  const server = spawn("npx", ["tsx", "e2e/support/server.ts"], { env: { ...process.env, E2E_BASE_PORT: String(port) }, stdio: "ignore", detached: true });
  try {
    await waitForHealth();
    const browser = await chromium.launch({ executablePath: findChromium(), args: ["--no-sandbox", "--disable-gpu"] });
    const samples: { transfer: number; decoded: number; scripts: number; interactive: number }[] = [];
    for (let run = 0; run <= runs; run += 1) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${base}/sign-in`, { waitUntil: "load" });
      // Interactive proxy: React has attached its handlers to the sign-in field (hydration done).
      await page.waitForFunction(() => {
        const field = document.querySelector("input[name=identifier], input[type=email], input");
        return field !== null && Object.keys(field).some((key) => key.startsWith("__reactProps"));
      });
      const interactive = await page.evaluate(() => performance.now());
      const scripts = await page.evaluate(() =>
        performance
          .getEntriesByType("resource")
          .filter((entry) => (entry as PerformanceResourceTiming).initiatorType === "script")
          .map((entry) => ({ transfer: (entry as PerformanceResourceTiming).encodedBodySize, decoded: (entry as PerformanceResourceTiming).decodedBodySize })),
      );
      await context.close();
      // The first load warms the server's caches; it is not counted.
      if (run === 0) continue;
      samples.push({
        transfer: scripts.reduce((sum, script) => sum + script.transfer, 0),
        decoded: scripts.reduce((sum, script) => sum + script.decoded, 0),
        scripts: scripts.length,
        interactive,
      });
    }
    await browser.close();
    console.log(
      JSON.stringify({
        scripts: samples[0]?.scripts,
        jsTransferBytes: median(samples.map((sample) => sample.transfer)),
        jsDecodedBytes: median(samples.map((sample) => sample.decoded)),
        interactiveMsMedian: Math.round(median(samples.map((sample) => sample.interactive))),
        runs: samples.length,
      }),
    );
  } finally {
    if (server.pid) process.kill(-server.pid, "SIGTERM");
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

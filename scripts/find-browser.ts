// Finds a Chromium for Playwright: its own download where one is installed (a normal developer
// machine), else Debian's /usr/bin/chromium; installs Debian's package when root and missing
// (Playwright's own download needs hosts these offline machines cannot reach).
import { chromium } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

const DEBIAN_CHROMIUM = "/usr/bin/chromium";

export function findChromium(): string {
  const bundled = chromium.executablePath();
  if (bundled && existsSync(bundled)) return bundled;
  if (existsSync(DEBIAN_CHROMIUM)) return DEBIAN_CHROMIUM;
  if (process.getuid?.() === 0 && existsSync("/usr/bin/apt-get")) {
    console.log("No browser found: installing Debian's chromium with apt-get…");
    execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit" });
    execFileSync("apt-get", ["install", "-y", "-qq", "chromium"], {
      stdio: "inherit",
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    });
    if (existsSync(DEBIAN_CHROMIUM)) return DEBIAN_CHROMIUM;
  }
  throw new Error("No Chromium found for the e2e tests. Install one with: npx playwright install chromium");
}

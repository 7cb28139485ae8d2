// Finds a Chromium for Playwright: its own download where one is installed (a normal developer
// machine), else Debian's chromium, installed when missing (scripts/support/system-packages.ts;
// Playwright's own download needs hosts these offline machines cannot reach).
import { chromium } from "@playwright/test";
import { existsSync } from "node:fs";
import { ensureSystemTools, SYSTEM_TOOLS } from "./support/system-packages";

/** Playwright's own Chromium, when it has been downloaded. */
export function bundledChromium(): string | null {
  const bundled = chromium.executablePath();
  return bundled && existsSync(bundled) ? bundled : null;
}

export function findChromium(): string {
  const bundled = bundledChromium();
  if (bundled) return bundled;
  ensureSystemTools(["chromium"]);
  return SYSTEM_TOOLS.chromium.executable;
}

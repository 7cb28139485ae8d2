import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";

const WIDTHS = [360, 1280] as const;

const SCHEMES = ["light", "dark"] as const;

/**
 * Saves screenshots of the current page at phone and desktop widths, in the light and the dark
 * theme (e2e/screenshots/<name>-<w>[-dark].png), and fails on any serious or critical axe violation
 * in any of them. The page follows the emulated system scheme (no theme chosen in these tests).
 */
export async function checkPage(page: Page, name: string): Promise<void> {
  const original = page.viewportSize();
  for (const scheme of SCHEMES) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 });
      await page.screenshot({ path: `e2e/screenshots/${name}-${width}${scheme === "dark" ? "-dark" : ""}.png`, fullPage: true });
      const results = await new AxeBuilder({ page }).analyze();
      const blocking = results.violations
        .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
        .map((violation) => `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(" ")).join(", ")})`);
      expect(blocking, `${name} at ${width}px, ${scheme}`).toEqual([]);
    }
  }
  await page.emulateMedia({ colorScheme: "light" });
  if (original) await page.setViewportSize(original);
}

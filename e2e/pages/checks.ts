import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";

const WIDTHS = [360, 1280] as const;

/**
 * Saves screenshots of the current page at phone and desktop widths (e2e/screenshots/<name>-<w>.png)
 * and fails on any serious or critical axe violation at either width.
 */
export async function checkPage(page: Page, name: string): Promise<void> {
  const original = page.viewportSize();
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: `e2e/screenshots/${name}-${width}.png`, fullPage: true });
    const results = await new AxeBuilder({ page }).analyze();
    const blocking = results.violations
      .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
      .map((violation) => `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(" ")).join(", ")})`);
    expect(blocking, `${name} at ${width}px`).toEqual([]);
  }
  if (original) await page.setViewportSize(original);
}

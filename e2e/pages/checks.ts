import axe from "axe-core";
import { expect, type Page } from "@playwright/test";

const WIDTHS = [360, 1280] as const;

const SCHEMES = ["light", "dark"] as const;

type AxeWindow = Window & { axe?: typeof axe };

/**
 * The serious and critical axe violations of the page as it is now. axe is injected once per
 * document and then run in place: @axe-core/playwright re-injected it and finished every run in a
 * blank page of its own, about 1.5 s a call against 0.15 s here, and checkPage runs it four times
 * a page. The pages have no iframes, so the top document is all there is to check.
 */
async function blockingViolations(page: Page): Promise<string[]> {
  const injected = await page.evaluate(() => Boolean((window as AxeWindow).axe));
  if (!injected) await page.evaluate(axe.source);
  const results = await page.evaluate(() => (window as AxeWindow).axe!.run(document, { resultTypes: ["violations"] }));
  return results.violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map((violation) => `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(" ")).join(", ")})`);
}

/**
 * Waits for the transitions a theme or width change starts (buttons fade their colours over
 * 150 ms) to end: axe judging contrast half way through a fade reads neither theme's colours.
 * Endless animations (a loading skeleton's pulse) are not waited for.
 */
async function settleTransitions(page: Page): Promise<void> {
  await page.evaluate(() =>
    Promise.all(
      document
        .getAnimations()
        .filter((animation) => animation.effect?.getComputedTiming().iterations !== Infinity)
        .map((animation) => animation.finished.catch(() => undefined)),
    ),
  );
}

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
      await settleTransitions(page);
      await page.screenshot({ path: `e2e/screenshots/${name}-${width}${scheme === "dark" ? "-dark" : ""}.png`, fullPage: true });
      expect(await blockingViolations(page), `${name} at ${width}px, ${scheme}`).toEqual([]);
      // Nothing on the page (a long address, an unbroken name, a table) may widen it past the screen.
      expect(await page.evaluate(() => document.documentElement.scrollWidth), `${name} is wider than ${width}px`).toBeLessThanOrEqual(width);
    }
  }
  await page.emulateMedia({ colorScheme: "light" });
  if (original) await page.setViewportSize(original);
}

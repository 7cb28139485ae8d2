// Every spec imports `test` and `expect` from here instead of @playwright/test: each journey then
// fails on any Content-Security-Policy violation (ADR 0025), in every browser context it opens.
import { test as base, expect, type Browser, type BrowserContext } from "@playwright/test";

/**
 * Collects the CSP violations of every page in `context`: Chromium's own console report ("…violates
 * the following Content Security Policy directive…") and the `securitypolicyviolation` event,
 * reported to the console by an init script (init scripts run outside the page's CSP).
 */
export async function watchContentSecurityPolicy(context: BrowserContext, violations: string[]): Promise<void> {
  context.on("console", (message) => {
    if (message.text().includes("Content Security Policy")) violations.push(`${message.page()?.url() ?? ""}: ${message.text()}`);
  });
  await context.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      console.error(`Content Security Policy violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline code"}`);
    });
  });
}

/** While a test runs, contexts and pages it opens itself (a second person) are watched too. */
function watchNewContexts(browser: Browser, violations: string[]): () => void {
  const { newContext, newPage } = browser;
  browser.newContext = async (...args) => {
    const context = await newContext.apply(browser, args);
    await watchContentSecurityPolicy(context, violations);
    return context;
  };
  browser.newPage = async (...args) => {
    const page = await newPage.apply(browser, args);
    await watchContentSecurityPolicy(page.context(), violations);
    return page;
  };
  return () => Object.assign(browser, { newContext, newPage });
}

export const test = base.extend<{ contentSecurityPolicyGuard: string[] }>({
  contentSecurityPolicyGuard: [
    async ({ context, browser }, use) => {
      const violations: string[] = [];
      await watchContentSecurityPolicy(context, violations);
      const restore = watchNewContexts(browser, violations);
      await use(violations);
      restore();
      expect(violations, "Content-Security-Policy violations").toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

import { expect, test } from "./fixtures";

// The guard every journey runs under must see a violation, or a green suite would prove nothing.
test("injected inline code is blocked by the CSP and reported to the guard", async ({ page, contentSecurityPolicyGuard }) => {
  await page.goto("/");
  await page.evaluate(() => {
    document.body.insertAdjacentHTML("beforeend", `<img alt="" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" onload="window.injected = true">`);
  });
  await expect.poll(() => contentSecurityPolicyGuard.length).toBeGreaterThan(0);
  expect(await page.evaluate(() => (window as { injected?: boolean }).injected)).toBeUndefined();
  expect(contentSecurityPolicyGuard.join("\n")).toContain("Content Security Policy");
  // Seen and checked: this test's own violation must not fail it.
  contentSecurityPolicyGuard.length = 0;
});

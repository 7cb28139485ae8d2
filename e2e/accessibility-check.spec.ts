import { checkPage } from "./pages/checks";
import { expect, test } from "./fixtures";

// checkPage is what keeps every journey's pages accessible: it must fail on a real violation, in
// a theme and at a width it reaches after the first (axe runs in place, injected once per page).
test("the page check fails on an accessibility violation", async ({ page }) => {
  await page.goto("/");
  await checkPage(page, "accessibility-check-clean");
  // An unnamed button that shows only in the last combination checkPage visits.
  await page.evaluate(() => {
    const button = document.createElement("button");
    document.body.append(button);
    const query = matchMedia("(prefers-color-scheme: dark) and (min-width: 1000px)");
    const show = () => (button.hidden = !query.matches);
    show();
    query.addEventListener("change", show);
  });
  await expect(checkPage(page, "accessibility-check-broken")).rejects.toThrow(/at 1280px, dark.*button-name/s);
});

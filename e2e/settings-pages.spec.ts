import { expect, test } from "./fixtures";
import { accountWithPassword, checkSettingsPage, ProfileSettings, SettingsPage } from "./pages/settings";

test("profile edit with the onboarding checks, and the security activity that records it", async ({ page }) => {
  await accountWithPassword(page, "profile");
  const profile = new ProfileSettings(page);
  await page.goto("/settings");
  await expect(page).toHaveURL(/\/settings\/profile$/);
  await expect(page.getByRole("link", { name: "Profile" })).toHaveAttribute("aria-current", "page");
  await checkSettingsPage(page, "settings-profile");

  await page.getByLabel("Date of birth").fill(new Date(Date.now() - 5 * 365 * 86_400_000).toISOString().slice(0, 10));
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText("You must be at least 13 years old to use Latchkey.")).toBeVisible();
  await page.getByLabel("Date of birth").fill("1990-12-10");
  await profile.changeDisplayName("Countess");

  const activity = new SettingsPage(page);
  await activity.open("security");
  const events = page.getByRole("list", { name: "Security events" }).getByRole("listitem");
  await expect(events.first()).toContainText("Profile updated");
  await expect(events.filter({ hasText: "Account created" })).toHaveCount(1);
  await checkSettingsPage(page, "settings-security");
});

test("on a phone, a settings section opened directly has its tab in view, and the tab row shows it scrolls", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await accountWithPassword(page, "tabs");
  const tabs = page.getByRole("navigation", { name: "Settings" }).getByRole("list");
  for (const [section, label, edges] of [
    ["account", "Your account", "start"],
    ["profile", "Profile", "end"],
    ["passkeys", "Passkeys", "both"],
  ] as const) {
    await new SettingsPage(page).open(section);
    const tab = page.getByRole("link", { name: label, exact: true });
    await expect(tab).toHaveAttribute("aria-current", "page");
    await expect(tab).toBeInViewport({ ratio: 0.99 }); // whole, to the sub-pixel
    await expect(tabs).toHaveAttribute("data-hidden-edges", edges);
    expect(await tabs.evaluate((list) => getComputedStyle(list).maskImage)).toContain("linear-gradient");
  }
  // The page itself did not scroll sideways or down to bring the tab in.
  expect(await page.evaluate(() => [window.scrollX, window.scrollY])).toEqual([0, 0]);
});

test("settings need a signed-in user", async ({ page }) => {
  for (const section of ["profile", "email", "phone", "password", "devices", "security", "account"]) {
    await page.goto(`/settings/${section}`);
    await expect(page).toHaveURL(/\/sign-in/);
  }
});

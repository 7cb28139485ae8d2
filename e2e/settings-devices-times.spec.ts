import { expect, test } from "./fixtures";
import { accountWithPassword, checkSettingsPage, DeviceSettings } from "./pages/settings";

test.use({ timezoneId: "Asia/Tokyo" });

test("device times are shown in the viewer's time zone, last seen as relative time, the exact time on focus", async ({ page }) => {
  const consoleErrors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(message.text());
  });
  await accountWithPassword(page, "tokyo");
  const settings = new DeviceSettings(page);
  await settings.open("devices");
  const current = settings.currentDevice;
  const firstSeen = current.locator("time").first();
  const iso = await firstSeen.getAttribute("datetime");
  expect(iso).toBeTruthy();
  const tokyo = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "Asia/Tokyo" }).format(new Date(iso!));
  await expect(firstSeen).toHaveText(tokyo);
  await expect(firstSeen).not.toContainText("UTC");

  const lastSeen = current.locator("time").nth(1);
  await expect(lastSeen).toHaveText(/^(just now|\d+ minutes? ago)$/);
  await expect(lastSeen).toHaveAttribute("title", /GMT\+9/);

  // Queried by attribute: getByRole leaves out the hidden tooltips, so it could not see one appear.
  const tooltip = current.locator("[role=tooltip]").nth(1);
  await expect(tooltip).toBeHidden();
  await lastSeen.focus();
  await expect(tooltip).toBeVisible();
  await expect(tooltip).toContainText("GMT+9");
  expect(consoleErrors.filter((text) => /hydrat/i.test(text))).toEqual([]);
  await checkSettingsPage(page, "settings-devices-tokyo");
});

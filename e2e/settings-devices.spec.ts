import { expect, test } from "./fixtures";
import { signOut } from "./pages/auth";
import { accountWithPassword, checkSettingsPage, DeviceSettings, expectSignedIn, expectSignedOut, signInElsewhere } from "./pages/settings";

test("signing out one device: the other browser is signed out on its next request", async ({ page, browser }) => {
  const { email } = await accountWithPassword(page, "devices");
  const second = await signInElsewhere(browser, email);
  const settings = new DeviceSettings(page);

  await settings.open("devices");
  await expect(settings.devices).toHaveCount(2);
  await expect(settings.currentDevice).toHaveCount(1);
  await expect(settings.currentDevice).toContainText("First seen");
  // This browser is Playwright's desktop Chrome on Windows: its icon and its software say so.
  await expect(settings.currentDevice).toContainText("Chrome on Windows");
  await expect(settings.currentDevice.locator('svg[data-form-factor="computer"]')).toHaveCount(1);
  await checkSettingsPage(page, "settings-devices");

  await settings.rename(settings.otherDevices.first(), "Kitchen laptop");
  await expect(settings.otherDevices.first()).toContainText("Kitchen laptop");

  const everywhereElse = page.getByRole("button", { name: "Sign out everywhere else" });
  await expect(everywhereElse).toBeVisible();
  await settings.signOut(settings.otherDevices.first());
  await expect(settings.devices).toHaveCount(1);
  // Nowhere else is signed in: nothing to offer.
  await expect(everywhereElse).toHaveCount(0);
  await page.reload();
  await expect(settings.devices).toHaveCount(1);
  await expect(everywhereElse).toHaveCount(0);
  await expectSignedOut(second.page);
  await expectSignedIn(page);
  await second.context.close();
});

test("sign out everywhere else keeps only this browser", async ({ page, browser }) => {
  const { email } = await accountWithPassword(page, "everywhere");
  const second = await signInElsewhere(browser, email);
  const third = await signInElsewhere(browser, email);
  const settings = new DeviceSettings(page);

  await settings.open("devices");
  await expect(settings.devices).toHaveCount(3);
  await settings.signOutEverywhereElse();
  await expect(settings.devices).toHaveCount(1);
  await expect(settings.currentDevice).toHaveCount(1);

  await expectSignedOut(second.page);
  await expectSignedOut(third.page);
  await expectSignedIn(page);
  await second.context.close();
  await third.context.close();
});

test("a browser that signed out folds into a short history that offers nothing to do", async ({ page, browser }) => {
  const { email } = await accountWithPassword(page, "history");
  const second = await signInElsewhere(browser, email);
  await signOut(second.page);
  const settings = new DeviceSettings(page);

  await settings.open("devices");
  // Only this browser is active, first, with its address; the other sits in the history, closed.
  await expect(settings.devices).toHaveCount(1);
  await expect(settings.devices.first()).toContainText("This device");
  await expect(settings.currentDevice).toContainText(/IP address\s*(127\.0\.0\.1|::1)/);
  const past = page.getByRole("list", { name: "Signed-out browsers" });
  await expect(past).toBeHidden();
  await page.getByText("Signed-out browsers (1)").click();
  await expect(past.getByRole("listitem")).toHaveCount(1);
  await expect(past).toContainText("signed out");
  await expect(past.getByRole("button")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Sign out everywhere else" })).toHaveCount(0);
  await checkSettingsPage(page, "settings-devices-history");
  await second.context.close();
});

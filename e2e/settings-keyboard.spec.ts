import { expect, test } from "./fixtures";
import { accountWithPassword, DeviceSettings, signInElsewhere } from "./pages/settings";

test("inline rename and sign-out in the device list work from the keyboard and keep focus", async ({ page, browser }) => {
  const { email } = await accountWithPassword(page, "keyboard");
  const second = await signInElsewhere(browser, email);
  const settings = new DeviceSettings(page);
  await settings.open("devices");
  const other = settings.otherDevices.first();
  const renameButton = other.getByRole("button", { name: /^Rename/ });
  const signOutButton = other.getByRole("button", { name: /^Sign out/ });

  await renameButton.click();
  const nameField = other.getByLabel("Device name");
  await expect(nameField).toHaveAttribute("aria-required", "true");
  await nameField.press("Escape");
  await expect(nameField).toHaveCount(0);
  await expect(renameButton).toBeFocused();

  await renameButton.press("Enter");
  await nameField.fill("");
  await other.getByRole("button", { name: "Save name" }).click();
  await expect(nameField).toHaveAttribute("aria-invalid", "true");

  // Hold the server action so the busy state can be observed: the button stays focused and inert.
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route("**/settings/devices", async (route) => {
    if (route.request().method() === "POST") await held;
    await route.continue();
  });
  await nameField.fill("Kitchen laptop");
  const save = other.getByRole("button", { name: "Save name" });
  await save.focus();
  await save.press("Enter");
  await expect(save).toHaveAttribute("aria-disabled", "true");
  // Playwright counts aria-disabled as disabled; the native attribute is what would drop focus.
  await expect(save).not.toHaveAttribute("disabled");
  await expect(save).toBeFocused();
  release();
  await expect(other).toContainText("Kitchen laptop", { timeout: 15_000 });
  await expect(renameButton).toBeFocused();
  await page.unroute("**/settings/devices");

  await signOutButton.click();
  const confirm = other.getByRole("button", { name: "Yes, sign it out" });
  await expect(confirm).toBeFocused();
  await confirm.press("Escape");
  await expect(confirm).toHaveCount(0);
  await expect(signOutButton).toBeFocused();

  await signOutButton.press("Enter");
  await confirm.press("Enter");
  await expect(settings.devices).toHaveCount(1, { timeout: 15_000 });
  await expect(page.getByRole("list", { name: "Your devices" })).toBeFocused();
  await second.context.close();
});

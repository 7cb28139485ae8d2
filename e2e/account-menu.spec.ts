import { expect, test } from "./fixtures";
import { openAccountMenu } from "./pages/auth";
import { checkPage } from "./pages/checks";
import { accountWithPassword } from "./pages/settings";

const SETTINGS = ["Profile", "Email address", "Phone number", "Password", "Passkeys", "Two-step verification", "Privacy", "Devices", "Security activity", "Your account"];

// Issue 25, item 6: the header's account menu, and home leading to every part of the account.
test("the account menu shows who is signed in, leads everywhere in the account, switches the theme and closes", async ({ page }) => {
  const { email } = await accountWithPassword(page, "menu");
  await page.goto("/home");
  const button = page.getByRole("button", { name: /^Account menu/ });
  await expect(button).toHaveAttribute("aria-expanded", "false");

  // Home links to every settings page.
  const everything = page.getByRole("list", { name: "Account settings" });
  for (const label of SETTINGS) await expect(everything.getByRole("link", { name: label, exact: true })).toHaveCount(1);

  const menu = await openAccountMenu(page);
  await expect(page.getByText(email, { exact: true })).toBeVisible();
  for (const label of ["Home", ...SETTINGS]) await expect(menu.getByRole("link", { name: label, exact: true })).toBeVisible();
  // Not an admin: no way into the admin area.
  await expect(menu.getByRole("link", { name: "Admin" })).toHaveCount(0);
  await checkPage(page, "account-menu");

  // The theme is a compact control in the menu; the choice holds when the menu opens again.
  // The radio itself is visually hidden behind its label, which is what a person clicks.
  await page.getByText("Dark", { exact: true }).click();
  await expect(page.locator("html")).toHaveAttribute("data-theme", "dark");
  await page.keyboard.press("Escape");
  await expect(button).toHaveAttribute("aria-expanded", "false");
  await expect(button).toBeFocused();
  await openAccountMenu(page);
  await expect(page.getByRole("radio", { name: "Dark" })).toBeChecked();
  // The radio itself is visually hidden behind its label, which is what a person clicks.
  await page.getByText("System", { exact: true }).click();

  // Following a link closes the menu on the page it leads to.
  await menu.getByRole("link", { name: "Privacy", exact: true }).click();
  await expect(page).toHaveURL(/\/settings\/privacy$/);
  await expect(button).toHaveAttribute("aria-expanded", "false");

  // A click outside closes it too.
  await openAccountMenu(page);
  await page.getByRole("heading", { level: 1 }).click();
  await expect(button).toHaveAttribute("aria-expanded", "false");
});

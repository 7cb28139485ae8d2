import { expect, test } from "./fixtures";
import { createAccount, SignInPage } from "./pages/auth";
import { waitForMail } from "./support/inbox";
import { accountWithPassword, checkSettingsPage, expectSignedIn, expectSignedOut, PasswordSettings, signInElsewhere } from "./pages/settings";

test("password change: current password required, other sessions end, notice mailed", async ({ page, browser }) => {
  const { email, password } = await accountWithPassword(page, "passwordchange");
  const elsewhere = await signInElsewhere(browser, email);
  const settings = new PasswordSettings(page);
  const next = "violet-anchor-meadow-17";

  await settings.open("password");
  await checkSettingsPage(page, "settings-password");
  await settings.change("not-my-password", next);
  await expect(page.getByText("That is not your password.")).toBeVisible();
  await settings.change(password, password);
  await expect(page.getByText("Choose a password different from your current one.")).toBeVisible();

  // Every password field can be shown and hidden again.
  const current = page.getByLabel("Current password");
  const toggles = page.getByRole("button", { name: "Show password" });
  await expect(toggles).toHaveCount(2);
  await toggles.first().click();
  await expect(current).toHaveAttribute("type", "text");
  await page.getByRole("button", { name: "Hide password" }).click();
  await expect(current).toHaveAttribute("type", "password");

  await settings.change(password, next);
  await settings.expectMessage("Your password was changed. 1 other session was signed out.");
  await waitForMail(email, (mail) => mail.subject === "Your Latchkey password was changed");

  await expectSignedIn(page);
  await expectSignedOut(elsewhere.page);

  const signIn = new SignInPage(elsewhere.page);
  await signIn.goto();
  await signIn.withPassword(email, password);
  await expect(elsewhere.page.getByText("That email address and password do not match.")).toBeVisible();
  await signIn.withPassword(email, next);
  await expect(elsewhere.page).toHaveURL(/\/home$/);
  await elsewhere.context.close();
});

test("an account signed up without a password sets one after a recent sign-in", async ({ page }) => {
  const { email } = await createAccount(page, { label: "nopassword" });
  const settings = new PasswordSettings(page);
  await settings.open("password");
  await expect(page.getByRole("heading", { name: "Set a password" })).toBeVisible();
  await checkSettingsPage(page, "settings-password-set");
  await settings.set("quartz-lantern-harbor-52");
  await settings.expectMessage("Your password was set. You were not signed in anywhere else.");
  await waitForMail(email, (mail) => mail.subject === "A password was set on your Latchkey account");
  await page.reload();
  await expect(page.getByRole("heading", { name: "Change your password" })).toBeVisible();
});

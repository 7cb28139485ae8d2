import { expect, test } from "./fixtures";
import { newEmail, SignInPage } from "./pages/auth";
import { accountWithPassword, checkSettingsPage, EmailSettings, expectSignedOut, signInElsewhere } from "./pages/settings";

test("email change end to end: code from the new address, notice to the old, revert signs out everywhere", async ({ page, browser }) => {
  const { email: oldAddress, password } = await accountWithPassword(page, "emailchange");
  const elsewhere = await signInElsewhere(browser, oldAddress);
  const newAddress = newEmail("emailnew");
  const settings = new EmailSettings(page);

  await settings.open("email");
  await checkSettingsPage(page, "settings-email");
  await settings.requestChange(newAddress);
  await checkSettingsPage(page, "settings-email-code");

  const code = await settings.codeMailedTo(newAddress);
  await settings.enterCode(code);
  await settings.expectMessage(`Your email address is now ${newAddress}.`);
  await expect(page.getByText(newAddress, { exact: true })).toBeVisible();

  // The old address is told, with a link that undoes the change.
  const link = await settings.revertLinkMailedTo(oldAddress);
  const stranger = await browser.newContext(); // opened from the old mailbox, where nobody is signed in
  const revertPage = await stranger.newPage();
  await revertPage.goto(link);
  await checkSettingsPage(revertPage, "email-change-revert");
  await new EmailSettings(revertPage).revert(link);
  await expect(revertPage.getByRole("status")).toContainText(`Your address ${oldAddress} is back, and every device was signed out.`);

  // Every session ended, this browser's and the other device's alike.
  await expectSignedOut(page);
  await expectSignedOut(elsewhere.page);

  // The link works once.
  await new EmailSettings(revertPage).revert(link);
  await expect(revertPage.getByRole("alert").first()).toContainText("This link has expired or has already been used.");

  // The old address signs in again.
  const signIn = new SignInPage(page);
  await signIn.goto();
  await signIn.withPassword(oldAddress, password);
  await expect(page).toHaveURL(/\/home$/);
  await stranger.close();
  await elsewhere.context.close();
});

test("a wrong code is refused and changes nothing", async ({ page }) => {
  const { email } = await accountWithPassword(page, "emailwrong");
  const settings = new EmailSettings(page);
  await settings.open("email");
  const newAddress = newEmail("emailwrongnew");
  await settings.requestChange(newAddress);
  const code = await settings.codeMailedTo(newAddress);
  await settings.enterCode(code === "000000" ? "111111" : "000000");
  await settings.expectError(/That code is not right/);
  await page.reload();
  await expect(page.getByText(email, { exact: true })).toBeVisible();
});

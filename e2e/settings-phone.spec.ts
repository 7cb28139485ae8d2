import { expect, test } from "./fixtures";
import { newPhone } from "./pages/auth";
import { waitForMail } from "./support/inbox";
import { accountWithPassword, checkSettingsPage, PhoneSettings } from "./pages/settings";

test("phone change: a code texted to the new number, a notice mailed to the account", async ({ page }) => {
  const { email } = await accountWithPassword(page, "phonechange");
  const phone = newPhone();
  const settings = new PhoneSettings(page);

  await settings.open("phone");
  await checkSettingsPage(page, "settings-phone");
  await settings.requestChange(phone);
  await checkSettingsPage(page, "settings-phone-code");
  await settings.enterCode(await settings.codeTextedTo(phone));
  await settings.expectMessage(`Your phone number is now ${phone}.`);
  // The page shows the number the way people write it, never raw E.164 (issue 25).
  await expect(page.getByText(`+1 415 555 ${phone.slice(-4)}`, { exact: true })).toBeVisible();
  await waitForMail(email, (mail) => mail.subject === "Your Latchkey phone number was changed");
});

import { expect, test } from "./fixtures";
import { newEmail, SignInPage, signOut, spendSignInCode } from "./pages/auth";
import { accountWithPassword, EmailSettings, PASSWORD, SettingsPage } from "./pages/settings";

// Issue 10, item 9: sign-out, wrong code guesses (summarised) and cancelled changes are recorded,
// and the account holder sees them in their security activity.

test("sign-out, a code exhausted by wrong guesses and a cancelled email change show in the security activity", async ({ page }) => {
  const { email } = await accountWithPassword(page, "activity");

  const emailSettings = new EmailSettings(page);
  await emailSettings.open("email");
  await emailSettings.requestChange(newEmail("activitynew"));
  await page.getByRole("button", { name: "Use a different address" }).click();
  await expect(page.getByRole("form", { name: "New email address" })).toBeVisible();
  await signOut(page);

  // Five wrong guesses use the sign-in code up: one event, not five.
  const { verify } = await spendSignInCode(page, email);
  await verify.expectError(/last attempt|Too many wrong guesses/);

  const signIn = new SignInPage(page);
  await signIn.goto();
  await signIn.withPassword(email, PASSWORD);
  await expect(page).toHaveURL(/\/home$/);
  await new SettingsPage(page).open("security");
  const events = page.getByRole("list", { name: "Security events" }).getByRole("listitem");
  await expect(events.filter({ hasText: "Signed out" })).toHaveCount(1);
  await expect(events.filter({ hasText: "Email change cancelled" })).toHaveCount(1);
  await expect(events.filter({ hasText: "Too many wrong codes entered" })).toHaveCount(1);
});

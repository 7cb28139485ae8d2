import { expect, test } from "./fixtures";
import { checkPage } from "./pages/checks";
import { atProfileFormBesideTakenName, createAccount, mailedCode, newEmail, newUsername, OnboardingPage, SignInPage, signOut, VerifyPage } from "./pages/auth";

test("password sign-in, with a clear error for a wrong password", async ({ page }) => {
  const password = "plum-kettle-orbit-94";
  const { email } = await createAccount(page, { label: "pw", password });
  await signOut(page);

  const signIn = new SignInPage(page);
  await signIn.goto();
  await checkPage(page, "sign-in");
  await signIn.withPassword(email, "not-the-password");
  await expect(page.getByText("That email address and password do not match.")).toBeVisible();
  await signIn.withPassword(email, password);
  await expect(page).toHaveURL(/\/home$/);
});

test("code sign-in for a new address creates the account and leads to the profile", async ({ page }) => {
  const email = newEmail("passwordless");
  const signIn = new SignInPage(page);
  await signIn.goto();
  await signIn.requestCode(email);
  await new VerifyPage(page).enterCode(await mailedCode(email));
  await new OnboardingPage(page).expectShown();
});

test("code sign-in for a known address goes straight home", async ({ page }) => {
  const { email } = await createAccount(page, { label: "known" });
  const signUpCode = await mailedCode(email);
  await signOut(page);
  const signIn = new SignInPage(page);
  await signIn.goto();
  await signIn.requestCode(email);
  await new VerifyPage(page).enterCode(await mailedCode(email, signUpCode));
  await expect(page).toHaveURL(/\/home$/);
});

test("the profile gate: every app page leads to onboarding until done; taken usernames and under-13s refused", async ({ page, browser }) => {
  const { taken, onboarding } = await atProfileFormBesideTakenName(page, browser, "gate");
  await page.goto("/home");
  await onboarding.expectShown();

  await onboarding.fill({ username: taken.toUpperCase(), dob: new Date(Date.now() - 10 * 365 * 86_400_000).toISOString().slice(0, 10) });
  await expect(page.getByText("That username is taken. Try another.").first()).toBeVisible();
  await onboarding.submit();
  await expect(page.getByText("You must be at least 13 years old to use Latchkey.")).toBeVisible();
  await checkPage(page, "onboarding-errors");

  await onboarding.complete({ username: newUsername("gate") });
});

test("the gate asks only for display name, username and birth date, and is no dead end: sign out, or delete the account", async ({ page, browser }) => {
  const { onboarding } = await atProfileFormBesideTakenName(page, browser, "leave");
  const form = page.getByRole("form", { name: "Complete your profile" });
  await expect(form.locator("input, select, textarea")).toHaveCount(3);
  for (const label of ["Display name", "Username", "Date of birth"]) await expect(form.getByLabel(label)).toBeVisible();
  await expect(page.getByLabel(/Full name|Country|Postal code/)).toHaveCount(0);
  await checkPage(page, "onboarding-gate");

  await page.getByRole("link", { name: "Delete this account" }).click();
  await expect(page).toHaveURL(/\/onboarding\/delete-account$/);
  await checkPage(page, "onboarding-delete");
  await page.getByRole("link", { name: "Back to your profile" }).click();
  await onboarding.expectShown();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await page.goto("/onboarding");
  await expect(page).toHaveURL(/\/sign-in/);
});

test("a new account can be deleted from the profile gate", async ({ page, browser }) => {
  await atProfileFormBesideTakenName(page, browser, "gone");
  await page.getByRole("link", { name: "Delete this account" }).click();
  await page.getByLabel(/to confirm/).fill("delete my account");
  await page.getByRole("button", { name: "Delete my account for good" }).click();
  await expect(page).toHaveURL(/\/account-deleted$/);
  await page.goto("/onboarding");
  await expect(page).toHaveURL(/\/sign-in/);
});

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

import { expect, test } from "./fixtures";
import { waitForMail } from "./support/inbox";
import { checkPage } from "./pages/checks";
import { mailedCode, newEmail, newPhone, newUsername, OnboardingPage, SignInPage, SignUpPage, signOut, textedCode, VerifyPage } from "./pages/auth";

test("email sign-up by code, profile completion, home, sign out", async ({ page }) => {
  const email = newEmail("code");
  const signUp = new SignUpPage(page);
  await signUp.goto();
  await checkPage(page, "sign-up");
  await signUp.withEmail(email, "plum-kettle-orbit-94");
  await expect(page.getByText(`We sent a 6-digit code by email to ${email}`)).toBeVisible();
  await checkPage(page, "verify");

  const code = await mailedCode(email);
  const mail = await waitForMail(email);
  expect(mail.subject).toBe(`${code} is your Latchkey code`);
  expect(mail.text).toMatch(/\/verify-email\/[\w-]{43}/);

  await new VerifyPage(page).enterCode(code);
  const onboarding = new OnboardingPage(page);
  await onboarding.expectShown();
  await checkPage(page, "onboarding");
  await onboarding.complete({ username: newUsername("code") });
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Hello, Ada");
  await expect(page.getByRole("link", { name: "Manage devices" })).toHaveAttribute("href", "/settings/devices");
  await checkPage(page, "home");

  await signOut(page);
  await page.goto("/home");
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fhome$/);
});

test("email sign-up by the link in the same mail; the link works once", async ({ page }) => {
  const email = newEmail("link");
  const signUp = new SignUpPage(page);
  await signUp.goto();
  await signUp.withEmail(email);
  const mail = await waitForMail(email);
  const link = /(http\S+\/verify-email\/[\w-]+)/.exec(mail.text)?.[1];
  expect(link).toBeTruthy();
  await page.goto(link!);
  await new OnboardingPage(page).expectShown();

  await page.context().clearCookies();
  await page.goto(link!);
  await expect(page.getByText(/expired or was already used/)).toBeVisible();
  await checkPage(page, "verify-email");
});

test("phone sign-up with an SMS code; invalid numbers get a clear error", async ({ page }) => {
  const signUp = new SignUpPage(page);
  await signUp.goto();
  await signUp.withPhone("415");
  await expect(page.getByText(/too short/)).toBeVisible();
  await signUp.withPhone("+1 555 555 5555");
  await expect(page.getByText(/not a valid phone number/)).toBeVisible();
  await checkPage(page, "sign-up-phone");

  const phone = newPhone();
  await signUp.withPhone(`${phone.slice(0, 2)} ${phone.slice(2, 5)} ${phone.slice(5, 8)} ${phone.slice(8)}`);
  await expect(page).toHaveURL(/\/verify\?/);
  // The number as people write it: +1 415 555 0123.
  await expect(page.getByText(`We sent a 6-digit code by SMS to +1 415 555 ${phone.slice(-4)}`)).toBeVisible();
  await new VerifyPage(page).enterCode(await textedCode(phone));
  await new OnboardingPage(page).expectShown();
});

test("an address that already has an account gets a 'sign in instead' mail and the same answer", async ({ page }) => {
  // The account is made by code sign-in, so the sign-up below is not within its resend cooldown.
  const email = newEmail("twice");
  const signIn = new SignInPage(page);
  await signIn.goto();
  await signIn.requestCode(email);
  await new VerifyPage(page).enterCode(await mailedCode(email));
  await new OnboardingPage(page).expectShown();

  await page.context().clearCookies();
  const signUp = new SignUpPage(page);
  await signUp.goto();
  await signUp.withEmail(email);
  await expect(page.getByText(`We sent a 6-digit code by email to ${email}`)).toBeVisible();
  const notice = await waitForMail(email, (mail) => mail.subject === "Someone tried to sign up with your address");
  expect(notice.text).toContain("Sign in instead");
});

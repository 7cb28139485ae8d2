import { expect, test } from "./fixtures";
import { waitForMail } from "./support/inbox";
import { OnboardingPage, SignInPage, SignUpPage, newUsername } from "./pages/auth";
import { PasswordSettings } from "./pages/settings";

// Issue 10, item 2: a stranger starts a sign-up with the owner's address and a password of their
// choosing; the owner confirms from their own browser. The planted password must not survive, and
// the address being in ADMIN_EMAILS must not make the stranger an admin.

const OWNER = "prehijack-owner@e2e.test"; // listed in ADMIN_EMAILS by e2e/support/server.ts
const PLANTED = "attacker-planted-secret-71";

test("a password planted at sign-up does not survive the owner's confirmation from another browser", async ({ browser, request }) => {
  const attacker = await (await browser.newContext()).newPage();
  const signUp = new SignUpPage(attacker);
  await signUp.goto();
  await signUp.withEmail(OWNER, PLANTED);

  // The owner opens the link from the (unsolicited) mail in their own browser.
  const owner = await (await browser.newContext()).newPage();
  const mail = await waitForMail(OWNER, (candidate) => /\/verify-email\//.test(candidate.text));
  const link = /(http\S+\/verify-email\/[\w-]+)/.exec(mail.text)?.[1];
  expect(link).toBeTruthy();
  await owner.goto(link!);
  // Not the browser that signed up: the page names the address and waits for a click (ADR 0075).
  await owner.getByRole("button", { name: `Confirm ${OWNER} and sign in` }).click();
  await expect(owner).toHaveURL(/\/onboarding\?notice=sign-up-password-dropped$/);
  const onboarding = new OnboardingPage(owner);

  // The attacker's password opens nothing: not the browser, not the API, not the admin area.
  const signIn = new SignInPage(attacker);
  await signIn.goto();
  await signIn.withPassword(OWNER, PLANTED);
  await expect(attacker.getByRole("alert").filter({ hasText: "That email address and password do not match." }).first()).toBeVisible();
  const admin = await attacker.goto("/admin");
  expect(admin?.status()).toBe(404);
  const api = await request.post("/api/auth/token", { data: { email: OWNER, password: PLANTED, deviceName: "Attacker" } });
  expect(api.status()).toBe(401);

  // The owner is told to choose a password, is the admin, and sets a password of their own.
  await expect(owner.getByRole("status").filter({ hasText: /password chosen at sign-up was not kept/ })).toBeVisible();
  await onboarding.complete({ username: newUsername("owner") });
  await owner.goto("/admin");
  await expect(owner).toHaveURL(/\/admin$/);
  const settings = new PasswordSettings(owner);
  await settings.open("password");
  await settings.set("owner-own-secret-52");
  await settings.expectMessage(/password/i);
});

test("the password chosen at sign-up is kept when the same browser confirms", async ({ page }) => {
  const email = `samebrowser-${Date.now().toString(36)}@e2e.test`;
  const signUp = new SignUpPage(page);
  await signUp.goto();
  await signUp.withEmail(email, "same-browser-secret-38");
  const mail = await waitForMail(email, (candidate) => /\/verify-email\//.test(candidate.text));
  await page.goto(/(http\S+\/verify-email\/[\w-]+)/.exec(mail.text)![1]!);
  const onboarding = new OnboardingPage(page);
  await onboarding.expectShown();
  await expect(page.getByText(/password chosen at sign-up was not kept/)).toHaveCount(0);
  await onboarding.complete({ username: newUsername("same") });

  await page.context().clearCookies();
  const signIn = new SignInPage(page);
  await signIn.goto();
  await signIn.withPassword(email, "same-browser-secret-38");
  await expect(page).toHaveURL(/\/home$/);
});

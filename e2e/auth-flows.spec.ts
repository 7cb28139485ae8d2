import { expect, test } from "./fixtures";
import { checkPage } from "./pages/checks";
import { atProfileFormBesideTakenName, mailedCode, newEmail, newPhone, newUsername, OnboardingPage, SignInPage, signOut, spendSignInCode, VerifyPage } from "./pages/auth";
import { accountWithPassword, PASSWORD } from "./pages/settings";
import { endResendWait } from "./support/inbox";

// Issue 15: identifier-first sign-in, the code step, truthful waits, returning where you were, and
// the profile form.

test("identifier first: one field, then the same choices for every address", async ({ page }) => {
  const { email } = await accountWithPassword(page, "idfirst");
  await signOut(page);
  const signIn = new SignInPage(page);
  await signIn.goto();
  await expect(page.getByLabel("Email or phone number")).toHaveCount(1);
  await expect(page.getByLabel("Password", { exact: true })).toHaveCount(0);

  // The second step is drawn from the address alone: an account with a password and an address
  // without any account see the same page, word for word.
  const secondStep = async (address: string) => {
    await signIn.enterIdentifier(address);
    const text = (await page.getByRole("main").innerText()).replaceAll(address, "<address>");
    await page.getByRole("button", { name: "Use another address" }).click();
    await expect(page.getByLabel("Email or phone number")).toBeVisible();
    return text;
  };
  const known = await secondStep(email);
  expect(known).toEqual(await secondStep(newEmail("nobody")));
  expect(known).toContain("Email me a code");
  expect(known).toContain("Sign in with password");
  expect(known).toContain("Sign in with a passkey");

  await signIn.enterIdentifier(newPhone());
  await expect(page.getByRole("button", { name: "Text me a code" })).toBeVisible();
  await checkPage(page, "sign-in-choices");
});

test("signed out, an app page leads to sign-in and back; signed in, sign-in leads to the account", async ({ page }) => {
  const { email } = await accountWithPassword(page, "returnto");
  await signOut(page);

  await page.goto("/settings/email");
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fsettings%2Femail$/);
  await new SignInPage(page).withPassword(email, PASSWORD);
  await expect(page).toHaveURL(/\/settings\/email$/);

  for (const path of ["/sign-in", "/sign-up", "/"]) {
    await page.goto(path);
    await expect(page).toHaveURL(/\/home$/);
  }

  // By code too: the page to return to travels with the code step. (The sign-up's code is in the
  // mailbox already: the sign-in code is the one after it.)
  const signUpCode = await mailedCode(email);
  await signOut(page);
  await page.goto("/settings/devices");
  const signIn = new SignInPage(page);
  await signIn.requestCode(email);
  await expect(page).toHaveURL(/next=%2Fsettings%2Fdevices/);
  await new VerifyPage(page).enterCode(await mailedCode(email, signUpCode));
  await expect(page).toHaveURL(/\/settings\/devices$/);

  // Anything but a path on this site is ignored.
  for (const next of ["https://evil.example/", "//evil.example", "/\\evil.example"]) {
    await page.goto("/home");
    await signOut(page);
    await page.goto(`/sign-in?next=${encodeURIComponent(next)}`);
    await signIn.withPassword(email, PASSWORD);
    await expect(page).toHaveURL(/^http:\/\/[^/]+\/home$/);
  }
});

test("the code step: focused, sends itself on the sixth digit, keeps its wait across a reload and a second request", async ({ page }) => {
  const email = newEmail("codestep");
  const signIn = new SignInPage(page);
  await signIn.goto();
  await signIn.requestCode(email);
  const verify = new VerifyPage(page);
  await expect(verify.codeInput).toBeFocused();

  // The wait is the server's: a reload goes on counting instead of starting again at 60.
  await page.waitForTimeout(3_000);
  await page.reload();
  await expect(verify.resendButton).toHaveText(/Send a new code in (5[0-8]|[1-4]\d|\d) s/);
  await expect(verify.codeInput).toBeFocused();

  // Asking again at once is not "too many attempts": the code just sent still works, so the
  // person is taken back to it, with the real wait counting down.
  await signIn.goto();
  await signIn.requestCode(email);
  await expect(page.getByText(/Too many attempts/)).toHaveCount(0);
  await expect(verify.resendButton).toHaveText(/Send a new code in (5[0-8]|[1-4]\d|\d) s/);

  // Five digits send nothing; the sixth sends the code without a click.
  const code = await mailedCode(email);
  let requests = 0;
  page.on("request", (request) => {
    if (request.method() === "POST" && request.headers()["next-action"]) requests += 1;
  });
  await verify.codeInput.pressSequentially(code.slice(0, 5));
  await page.waitForTimeout(1_000);
  expect(requests).toBe(0);
  await verify.codeInput.press(code.slice(5));
  await new OnboardingPage(page).expectShown();
});

test("a spent code disables the field and makes a new code the main action; the new code clears the error", async ({ page }) => {
  await page.clock.install();
  const email = newEmail("spent");
  const { verify, code } = await spendSignInCode(page, email);
  await verify.expectError(/that was the last attempt for it/);
  await expect(verify.codeInput).toBeDisabled();
  await expect(page.getByRole("button", { name: "Continue" })).toHaveCount(0);
  await checkPage(page, "verify-spent");

  await expect(verify.resendButton).toBeDisabled();
  await endResendWait(page, email);
  await expect(verify.resendButton).toBeEnabled();
  await verify.resendButton.click();
  await expect(page.getByText("We sent a new code.", { exact: false })).toBeVisible();
  await expect(page.getByText(/last attempt for it/)).toHaveCount(0);
  await expect(verify.codeInput).toBeEnabled();
  await expect(verify.codeInput).toBeFocused();
  await verify.enterCode(await mailedCode(email, code));
  await new OnboardingPage(page).expectShown();
});

test("an SMS code step shows the number for humans and a way back to change it", async ({ page }) => {
  const phone = newPhone();
  const signIn = new SignInPage(page);
  await signIn.goto();
  await signIn.requestCode(phone);
  await expect(page.getByText(`+1 415 555 ${phone.slice(-4)}`)).toBeVisible();
  await page.getByRole("link", { name: "Change the number" }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await expect(page.getByLabel("Email or phone number")).toBeVisible();
});

test("the profile form shows every error at once, reserves staff names, says 'taken' once and knows your own name", async ({ page, browser }) => {
  const { taken, onboarding } = await atProfileFormBesideTakenName(page, browser, "profile");

  await onboarding.fill({ username: "admin", dob: new Date(Date.now() - 10 * 365 * 86_400_000).toISOString().slice(0, 10) });
  await page.getByLabel("Display name").fill("");
  await onboarding.submit();
  await expect(page.getByText("Enter your display name.")).toBeVisible();
  await expect(page.getByText("That username is reserved. Choose another.")).toBeVisible();
  await expect(page.getByText("You must be at least 13 years old to use Latchkey.")).toBeVisible();

  await page.getByLabel("Username").fill(taken);
  await expect(page.getByText("That username is taken. Try another.")).toHaveCount(1);

  const mine = newUsername("mine");
  await onboarding.complete({ username: mine });
  await page.goto("/settings/profile");
  await expect(page.getByLabel("Username")).toHaveValue(mine);
  await expect(page.getByText("This is your username.")).toBeVisible();
  await expect(page.getByText("This username is available.")).toHaveCount(0);
  // The optional location is still checked where its format is known.
  await page.getByLabel("Country (optional)").selectOption("US");
  await page.getByLabel("Postal code (optional)").fill("1");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText(/That is not a valid postal code here/)).toBeVisible();
});

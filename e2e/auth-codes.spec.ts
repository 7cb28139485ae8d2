import { expect, test } from "./fixtures";
import { checkPage } from "./pages/checks";
import { mailedCode, newEmail, SignInPage, SignUpPage, VerifyPage } from "./pages/auth";

const wrong = (code: string) => (code === "000000" ? "111111" : "000000");

test("wrong codes count down, then ten failures lock the address across codes", async ({ page }) => {
  const email = newEmail("lock");
  const signUp = new SignUpPage(page);
  await signUp.goto();
  await signUp.withEmail(email);
  const verify = new VerifyPage(page);
  const signUpCode = await mailedCode(email);
  for (let left = 4; left >= 1; left -= 1) {
    await verify.enterCode(wrong(signUpCode));
    await verify.expectError(`That code is not right. ${left} attempt${left === 1 ? "" : "s"} left.`);
  }
  await verify.enterCode(wrong(signUpCode));
  await verify.expectError(/that was the last attempt for it/);
  // No guess can succeed any more, not even the right code: only a new code helps.
  await expect(verify.codeInput).toBeDisabled();
  await expect(page.getByRole("button", { name: "Continue" })).toHaveCount(0);
  await expect(verify.resendButton).toBeVisible();

  // A new code (sign-in, another purpose) does not reset the address's failure count.
  const signIn = new SignInPage(page);
  await signIn.goto();
  await signIn.requestCode(email);
  const signInCode = await mailedCode(email, signUpCode);
  for (let guess = 0; guess < 4; guess += 1) {
    await verify.enterCode(wrong(signInCode));
    await verify.expectError(/That code is not right/);
  }
  await verify.enterCode(wrong(signInCode));
  await verify.expectError(/Too many wrong codes\. For your safety, try again in 15 minutes/);
  await verify.enterCode(signInCode);
  await verify.expectError(/Too many wrong codes/);
  await checkPage(page, "verify-locked");
});

test("the resend button counts down 60 seconds, and the server enforces the wait too", async ({ page }) => {
  await page.clock.install();
  const email = newEmail("resend");
  const signIn = new SignInPage(page);
  await signIn.goto();
  await signIn.requestCode(email);
  const verify = new VerifyPage(page);
  // The wait is counted to the server's deadline, so the page may open a second or two into it.
  const secondsShown = async () => Number(/in (\d+) s/.exec((await verify.resendButton.textContent()) ?? "")?.[1]);
  await expect(verify.resendButton).toHaveText(/^Send a new code in (60|5\d) s$/);
  await expect(verify.resendButton).toBeDisabled();
  const before = await secondsShown();
  await page.clock.runFor(5_000);
  await expect.poll(secondsShown).toBeLessThanOrEqual(before - 5);
  await page.clock.runFor(56_000);
  await expect(verify.resendButton).toHaveText("Send a new code");
  await expect(verify.resendButton).toBeEnabled();
  // Only the browser's clock moved: the server still refuses and says how long to wait.
  await verify.resendButton.click();
  await verify.expectError(/You can ask for a new code in \d+ s/);
  await expect(verify.resendButton).toBeDisabled();
  await expect(verify.resendButton).toHaveText(/Send a new code in \d+ s/);
});

import { expect, test } from "./fixtures";
import { waitForMail } from "./support/inbox";
import { checkPage } from "./pages/checks";
import { createAccount, mailedCode, SignInPage, signOut } from "./pages/auth";

test("password reset by code ends every other session, mails a notice and signs in", async ({ page, browser }) => {
  const { email } = await createAccount(page, { label: "reset", password: "plum-kettle-orbit-94" });
  const firstCode = await mailedCode(email);
  await signOut(page);

  // Another browser that is signed in: the reset must sign it out.
  const other = await browser.newPage();
  const otherSignIn = new SignInPage(other);
  await otherSignIn.goto();
  await otherSignIn.withPassword(email, "plum-kettle-orbit-94");
  await expect(other).toHaveURL(/\/home$/);

  await page.goto("/reset");
  await checkPage(page, "reset");
  await page.getByLabel("Email address").fill(email);
  await page.getByRole("button", { name: "Send reset mail" }).click();
  await expect(page.getByText(`If ${email} has an account`)).toBeVisible();
  const code = await mailedCode(email, firstCode);
  await page.getByLabel("6-digit code").fill(code);
  await page.getByLabel("New password", { exact: true }).fill("password1");
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(page.getByText("This password is too common.")).toBeVisible();
  await checkPage(page, "reset-code");
  await page.getByLabel("New password", { exact: true }).fill("violet-harbor-lantern-7");
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(page).toHaveURL(/\/home\?notice=password-set$/);
  await expect(page.getByText("Password set, you are signed in.")).toBeVisible();
  await waitForMail(email, (mail) => mail.subject === "Your Latchkey password was reset");

  await other.reload();
  await expect(other).toHaveURL(/\/sign-in/);
  await other.close();

  await signOut(page);
  const signIn = new SignInPage(page);
  await signIn.goto();
  await signIn.withPassword(email, "violet-harbor-lantern-7");
  await expect(page).toHaveURL(/\/home$/);
});

test("password reset by the emailed link", async ({ page }) => {
  const { email } = await createAccount(page, { label: "resetlink" });
  await signOut(page);
  await page.goto("/reset");
  await page.getByLabel("Email address").fill(email);
  await page.getByRole("button", { name: "Send reset mail" }).click();
  const mail = await waitForMail(email, (candidate) => /Reset your password/.test(candidate.text));
  const link = /(http\S+\/reset\/[\w-]+)/.exec(mail.text)?.[1];
  expect(link).toBeTruthy();
  await page.goto(link!);
  await checkPage(page, "reset-link");
  await page.getByLabel("New password", { exact: true }).fill("violet-harbor-lantern-8");
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(page).toHaveURL(/\/home\?notice=password-set$/);
  await expect(page.getByText("Password set, you are signed in.")).toBeVisible();

  // The used link says so as soon as it opens, and offers a new one instead of a form.
  await signOut(page);
  await page.goto(link!);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("This link no longer works");
  await expect(page.getByLabel("New password", { exact: true })).toHaveCount(0);
  await checkPage(page, "reset-link-used");
  await page.getByRole("link", { name: "Send a new link" }).click();
  await expect(page).toHaveURL(/\/reset$/);
});

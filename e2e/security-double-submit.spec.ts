import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { mailedCode, SignInPage, signOut, VerifyPage } from "./pages/auth";
import { accountWithPassword, PASSWORD } from "./pages/settings";
import { forgetCodeSends, signInsSince } from "./support/inbox";

// Issue 22, item 7, in the browser: an honest double click (or Enter pressed twice) on the
// password's or the code step's submit signs the person in once: one new session, no new device,
// no error. test/system/races.test.ts sends twenty at once without a browser.

async function expectOneSignIn(page: Page, email: string, since: number, how: string) {
  await expect(page, how).toHaveURL(/\/home$/);
  await expect(page.getByRole("alert").filter({ hasText: /\S/ }), how).toHaveCount(0);
  expect(await signInsSince(email, since), how).toEqual({ sessions: 1, devices: 1 });
}

test("a double click or a double Enter on a sign-in's submit signs in once, without an error", async ({ page }) => {
  const { email } = await accountWithPassword(page, "double");
  const signIn = new SignInPage(page);
  const passwordForm = page.getByRole("form", { name: "Sign in with a password" });
  const verify = new VerifyPage(page);
  let lastCode = await mailedCode(email);

  const byPassword = async (submitTwice: () => Promise<void>, how: string) => {
    await signOut(page);
    await signIn.enterIdentifier(email);
    await passwordForm.getByLabel("Password", { exact: true }).fill(PASSWORD);
    const since = Date.now();
    await submitTwice();
    await expectOneSignIn(page, email, since, how);
  };
  await byPassword(() => passwordForm.getByRole("button", { name: "Sign in with password" }).dblclick(), "password, double click");
  await byPassword(async () => {
    await passwordForm.getByLabel("Password", { exact: true }).press("Enter");
    await page.keyboard.press("Enter");
  }, "password, Enter twice");

  // The code step sends itself on the sixth digit; the person clicks Continue twice (or presses
  // Enter twice) as well, before the answer. The mouse, not a locator: the page may already be on
  // its way home when the clicks land, as it would be for a person.
  const byCode = async (submitTwice: (continueAt: { x: number; y: number }) => Promise<void>, how: string) => {
    await signOut(page);
    await forgetCodeSends(email);
    await signIn.requestCode(email);
    lastCode = await mailedCode(email, lastCode);
    const box = (await page.getByRole("button", { name: "Continue" }).boundingBox())!;
    const since = Date.now();
    await verify.codeInput.fill(lastCode);
    await submitTwice({ x: box.x + box.width / 2, y: box.y + box.height / 2 });
    await expectOneSignIn(page, email, since, how);
  };
  await byCode(({ x, y }) => page.mouse.dblclick(x, y), "code, double click");
  await byCode(async () => {
    await page.keyboard.press("Enter");
    await page.keyboard.press("Enter");
  }, "code, Enter twice");
});

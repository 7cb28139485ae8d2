import { expect, test } from "./fixtures";
import { SignInPage } from "./pages/auth";
import { checkPage } from "./pages/checks";

// Issue 25, items 4 and 5: nothing turns red before a submit, errors follow the typing after one,
// and a step that replaces the one before it in place takes focus.
test("sign-in checks on submit, then live; the next step takes focus", async ({ page }) => {
  const signIn = new SignInPage(page);
  await signIn.goto();
  const form = page.getByRole("form", { name: "Sign in", exact: true });
  const field = form.getByLabel("Email or phone number");
  await expect(field).toBeFocused();

  // Clicking elsewhere leaves the untouched field alone.
  await page.getByRole("heading", { level: 1 }).click();
  await expect(field).not.toBeFocused();
  await expect(field).not.toHaveAttribute("aria-invalid", "true");
  await expect(form.getByRole("alert")).toHaveCount(0);

  await form.getByRole("button", { name: "Continue" }).click();
  await expect(field).toHaveAttribute("aria-invalid", "true");
  await expect(form.getByRole("alert")).toHaveCount(1);
  await checkPage(page, "sign-in-error");

  // Once submitted, the check is live: a valid address clears the error before any new submit.
  await field.fill("someone@example.test");
  await expect(field).not.toHaveAttribute("aria-invalid", "true");
  await expect(form.getByRole("alert")).toHaveCount(0);

  await form.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByRole("heading", { name: "How do you want to sign in?" })).toBeFocused();

  // Back to the first step: its field has focus again.
  await page.getByRole("button", { name: "Use another address" }).click();
  await expect(page.getByRole("form", { name: "Sign in", exact: true }).getByLabel("Email or phone number")).toBeFocused();
});

test("the reset code step takes focus when it replaces the request form", async ({ page }) => {
  await page.goto("/reset");
  await page.getByLabel("Email address").fill("nobody@example.test");
  await page.getByRole("button", { name: "Send reset mail" }).click();
  await expect(page.getByRole("textbox", { name: /code/i })).toBeFocused();
});

test("\"Forgot your password?\" carries the address typed at sign-in", async ({ page }) => {
  const signIn = new SignInPage(page);
  await signIn.goto();
  await signIn.enterIdentifier("carried@example.test");
  await page.getByRole("link", { name: "Forgot your password?" }).click();
  await expect(page).toHaveURL(/\/reset\?email=carried%40example\.test$/);
  await expect(page.getByLabel("Email address")).toHaveValue("carried@example.test");
});

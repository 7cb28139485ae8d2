import { readFile } from "node:fs/promises";
import { expect, test } from "./fixtures";
import { SignInPage } from "./pages/auth";
import { accountWithPassword, checkSettingsPage, expectSignedOut, SettingsPage, signInElsewhere } from "./pages/settings";
import { ageSignIns, waitForMail } from "./support/inbox";

test("download your data, then delete the account: confirm it's you, type the confirmation, every browser signed out", async ({ page, browser }) => {
  const { email, password } = await accountWithPassword(page, "leaving");
  const second = await signInElsewhere(browser, email);
  const settings = new SettingsPage(page);
  await settings.open("account");
  await checkSettingsPage(page, "settings-account");

  // The data file: the person's own account, and no secret of it.
  const downloading = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download your data" }).click();
  const file = await downloading;
  expect(file.suggestedFilename()).toMatch(/^latchkey-data-\d{4}-\d{2}-\d{2}\.json$/);
  const text = await readFile((await file.path())!, "utf8");
  const data = JSON.parse(text) as { profile: { email: string }; devices: unknown[]; sessions: unknown[] };
  expect(data.profile.email).toBe(email);
  expect(data.devices).toHaveLength(2);
  expect(text).not.toMatch(/"(password|passwordHash|tokenHash|token_hash|browserKeyHash|signUpBrowserHash|publicKey|credentialId|codeHash)"\s*:/i);
  expect(text).not.toMatch(/\$argon2id\$/);

  // An old sign-in must confirm it's you first.
  await ageSignIns(email);
  await settings.open("account");
  await expect(page.getByRole("form", { name: "Delete your account" })).toHaveCount(0);
  const proof = page.getByRole("form", { name: "Confirm with your password" });
  await proof.getByLabel("Your password", { exact: true }).fill(password);
  await proof.getByRole("button", { name: "Confirm" }).click();

  const form = page.getByRole("form", { name: "Delete your account" });
  const confirmation = form.getByLabel(/Type “delete my account” to confirm/);
  await expect(confirmation).toHaveAttribute("aria-required", "true");
  await confirmation.fill("delete");
  await form.getByRole("button", { name: "Delete my account for good" }).click();
  await expect(form.getByText("Type “delete my account” to confirm.")).toBeVisible();
  await confirmation.fill("Delete my account");
  await form.getByRole("button", { name: "Delete my account for good" }).click();

  await expect(page).toHaveURL(/\/account-deleted$/);
  await expect(page.getByRole("heading", { name: "Your account was deleted" })).toBeVisible();
  await checkSettingsPage(page, "account-deleted");
  await waitForMail(email, (mail) => mail.subject === "Your Latchkey account was deleted");
  await expectSignedOut(page);
  await expectSignedOut(second.page);

  // The password no longer opens anything.
  const signIn = new SignInPage(page);
  await signIn.goto();
  await signIn.withPassword(email, password);
  await expect(page.getByRole("alert").first()).toBeVisible();
  await expect(page).toHaveURL(/\/sign-in/);
  await second.context.close();
});

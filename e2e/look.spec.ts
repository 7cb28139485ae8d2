import { expect, test } from "./fixtures";
import { checkPage } from "./pages/checks";
import { atProfileFormBesideTakenName } from "./pages/auth";
import { accountWithPassword, PASSWORD } from "./pages/settings";

const backgroundOf = (page: import("@playwright/test").Page) =>
  page.evaluate(() => getComputedStyle(document.body).backgroundColor);
const LIGHT_BACKGROUND = "rgb(248, 250, 252)";
const DARK_BACKGROUND = "rgb(2, 6, 23)";

test("follows the system's dark mode, and a chosen theme survives a reload", async ({ page }) => {
  await page.emulateMedia({ colorScheme: "dark" });
  await page.goto("/");
  expect(await backgroundOf(page)).toBe(DARK_BACKGROUND);

  await page.emulateMedia({ colorScheme: "light" });
  expect(await backgroundOf(page)).toBe(LIGHT_BACKGROUND);

  // The radio itself is visually hidden behind its label, which is what a person clicks.
  await page.getByText("Dark", { exact: true }).click();
  expect(await backgroundOf(page)).toBe(DARK_BACKGROUND);
  await page.reload();
  await expect(page.getByRole("radio", { name: "Dark" })).toBeChecked();
  expect(await backgroundOf(page)).toBe(DARK_BACKGROUND);
  await expect(page.locator("html")).toHaveAttribute("data-theme", "dark");

  // The radio itself is visually hidden behind its label, which is what a person clicks.
  await page.getByText("System", { exact: true }).click();
  expect(await backgroundOf(page)).toBe(LIGHT_BACKGROUND);
});

test("an unknown page says so and offers a way back, in both themes", async ({ page }) => {
  const response = await page.goto("/no-such-page");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("This page does not exist");
  await expect(page.getByRole("link", { name: "Go to your account" })).toHaveAttribute("href", "/home");
  await checkPage(page, "not-found");
});

test("serves an icon, a web manifest and robots.txt", async ({ request }) => {
  const manifest = await request.get("/manifest.webmanifest");
  expect(manifest.ok()).toBe(true);
  expect(await manifest.json()).toMatchObject({ name: "Latchkey", icons: [{ src: "/logo.svg" }] });
  const icon = await request.get("/icon.svg");
  expect(icon.headers()["content-type"]).toContain("image/svg+xml");
  expect((await request.get("/logo.svg")).ok()).toBe(true);
  expect(await (await request.get("/robots.txt")).text()).toContain("Disallow: /");
});

test.describe("after a failed submit, focus moves to the first invalid field", () => {
  test("sign-up: the browser's own checks", async ({ page }) => {
    await page.goto("/sign-up");
    const submit = page.getByRole("button", { name: "Send me a code" });
    await submit.click();
    await expect(page.getByLabel("Email address")).toBeFocused();
    await expect(page.getByLabel("Email address")).toHaveAttribute("aria-invalid", "true");

    await page.getByLabel("Email address").fill("ada@example.com");
    await page.getByLabel("Password (optional)").fill("short");
    await submit.click();
    await expect(page.getByLabel("Password (optional)")).toBeFocused();
  });

  test("profile: the browser's checks, then the server's 'taken'", async ({ page, browser }) => {
    const { taken, onboarding } = await atProfileFormBesideTakenName(page, browser, "focus");
    await onboarding.submit();
    await expect(page.getByLabel("Display name")).toBeFocused();

    await onboarding.fill({ username: taken });
    await page.getByRole("button", { name: "Save and continue" }).focus();
    await onboarding.submit();
    await expect(page.getByText("That username is taken. Try another.")).toBeVisible({ timeout: 15_000 });
    await expect(page.getByLabel("Username")).toBeFocused();
  });

  test("password: the browser's checks, then the server's 'wrong password'", async ({ page }) => {
    await accountWithPassword(page, "focus_pw");
    await page.goto("/settings/password");
    const form = page.getByRole("form", { name: "Password" });
    await form.getByLabel("Current password").fill(PASSWORD);
    await form.getByLabel("New password").fill("short");
    // Submitted from the first field, so focus has to move to reach the second.
    await form.getByLabel("Current password").press("Enter");
    await expect(form.getByLabel("New password")).toBeFocused();

    await form.getByLabel("Current password").fill("not-the-password-1");
    await form.getByLabel("New password").fill("a-long-new-passphrase-7");
    await form.getByRole("button", { name: "Change password" }).click();
    await expect(form.getByRole("alert")).toBeVisible({ timeout: 15_000 });
    await expect(form.getByLabel("Current password")).toBeFocused();
  });
});

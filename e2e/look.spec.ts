import { expect, test } from "./fixtures";
import { checkPage } from "./pages/checks";

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

  await page.getByLabel("Theme").selectOption("dark");
  expect(await backgroundOf(page)).toBe(DARK_BACKGROUND);
  await page.reload();
  await expect(page.getByLabel("Theme")).toHaveValue("dark");
  expect(await backgroundOf(page)).toBe(DARK_BACKGROUND);
  await expect(page.locator("html")).toHaveAttribute("data-theme", "dark");

  await page.getByLabel("Theme").selectOption("system");
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

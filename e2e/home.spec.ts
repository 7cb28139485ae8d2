import type { Page, Route } from "@playwright/test";
import { expect, test } from "./fixtures";
import { checkPage } from "./pages/checks";
import { accountWithPassword, ProfileSettings, signInElsewhere } from "./pages/settings";
import { createAccount, newUsername } from "./pages/auth";

// Issue 15, item 10: home shows the account at a glance, and the slower pages show a skeleton of
// their layout while they load.

/** The row of "How you sign in" named `name` (a term and its descriptions). */
const methodRow = (page: Page, name: string) => page.getByRole("term").filter({ hasText: new RegExp(`^${name}$`) }).locator("..");

test("home shows how you sign in, your devices and the newest security events, and follows changes", async ({ page, browser }) => {
  const { email } = await accountWithPassword(page, "home");
  await expect(page).toHaveURL(/\/home$/);

  await expect(methodRow(page, "Email")).toContainText(`${email} · confirmed`);
  await expect(methodRow(page, "Phone")).toContainText("Not added");
  await expect(methodRow(page, "Phone").getByRole("link", { name: "Add a number" })).toHaveAttribute("href", "/settings/phone");
  await expect(methodRow(page, "Password")).toContainText("Set");
  await expect(methodRow(page, "Password").getByRole("link", { name: "Change password" })).toHaveAttribute("href", "/settings/password");
  await expect(methodRow(page, "Passkeys")).toContainText("None yet");
  await expect(methodRow(page, "Passkeys").getByRole("link", { name: "Add a passkey" })).toHaveAttribute("href", "/settings/passkeys");
  await expect(page.getByText("Signed in on 1 device: this one.")).toBeVisible();
  const events = page.getByRole("list", { name: "Recent security events" }).getByRole("listitem");
  await expect(events.first()).toContainText("Profile completed");
  await expect(page.getByRole("link", { name: "See all activity" })).toHaveAttribute("href", "/settings/security");

  const elsewhere = await signInElsewhere(browser, email);
  await page.reload();
  await expect(page.getByText("Signed in on 2 devices.")).toBeVisible();
  await expect(page.getByText(/Last active elsewhere:/)).toHaveText(/^Last active elsewhere: .+, .+/);
  await expect(events.first()).toContainText("New device signed in");
  await expect(page.getByRole("link", { name: "Manage devices" })).toHaveAttribute("href", "/settings/devices");
  await checkPage(page, "home-overview");
  await elsewhere.context.close();
});

/**
 * Holds the page's navigation requests to `path` (Next's RSC fetch on a client-side navigation,
 * not its prefetches) until `release` is called, so the route's loading.tsx can be seen and checked.
 */
async function holdNavigationTo(page: Page, path: string) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const hold = async (route: Route) => {
    const headers = route.request().headers();
    const navigation = headers["rsc"] === "1" && !headers["next-router-prefetch"];
    if (new URL(route.request().url()).pathname !== path || !navigation) return route.fallback();
    await released;
    await route.fallback();
  };
  await page.route("**/*", hold);
  return release;
}

/**
 * Opens `path` and waits until Next has prefetched `target` from its links: the skeleton comes
 * with that prefetch (a dynamic page's loading boundary is fetched ahead, its content is not).
 */
async function openAfterPrefetchOf(page: Page, path: string, target: string) {
  const prefetched = page.waitForResponse((response) => {
    const request = response.request();
    return new URL(request.url()).pathname === target && request.headers()["next-router-prefetch"] === "1" && !request.headers()["next-router-segment-prefetch"];
  });
  await page.goto(path);
  await prefetched;
}

test("home and security activity show a skeleton of their layout while they load", async ({ page }) => {
  await accountWithPassword(page, "skeleton");
  await openAfterPrefetchOf(page, "/settings/profile", "/home");
  const releaseHome = await holdNavigationTo(page, "/home");
  await page.getByRole("link", { name: "Latchkey" }).click();
  const loading = page.getByRole("region", { name: /^Loading / });
  await expect(loading).toHaveCount(3);
  await expect(loading.first()).toHaveAttribute("aria-busy", "true");
  await expect(page.getByRole("region", { name: "Loading how you sign in" })).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: "Loading…" }).first()).toBeAttached();
  await checkPage(page, "home-loading");
  const skeletonBox = await page.getByRole("region", { name: "Loading how you sign in" }).boundingBox();
  releaseHome();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(/^Hello, /);
  await expect(loading).toHaveCount(0);
  // The card arrives where its stand-in was.
  const cardBox = await page.getByRole("heading", { name: "How you sign in" }).locator("..").boundingBox();
  expect(Math.abs(cardBox!.y - skeletonBox!.y)).toBeLessThan(60);

  await openAfterPrefetchOf(page, "/settings/profile", "/settings/security");
  const releaseActivity = await holdNavigationTo(page, "/settings/security");
  await page.getByRole("link", { name: "Security activity", exact: true }).click();
  await expect(page.getByRole("region", { name: "Loading security activity" })).toBeVisible();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Settings");
  releaseActivity();
  await expect(page.getByRole("list", { name: "Security events" })).toBeVisible();
  await expect(loading).toHaveCount(0);
});

test("on a phone, each sign-in method's value sits under its label, and the longest names wrap inside the screen", async ({ page }) => {
  const { email } = await createAccount(page, { label: "l".repeat(48), username: newUsername("long") });
  await page.goto("/settings/profile");
  await new ProfileSettings(page).changeDisplayName("W".repeat(50));
  await page.setViewportSize({ width: 360, height: 800 });
  await page.goto("/home");
  const row = methodRow(page, "Email");
  await expect(row).toContainText(email);
  const term = await row.getByRole("term").boundingBox();
  const value = await row.getByRole("definition").filter({ hasText: email }).boundingBox();
  expect(value!.y).toBeGreaterThanOrEqual(term!.y + term!.height - 1);
  expect(value!.width).toBeGreaterThan(250);
  await checkPage(page, "home-long-names");
});

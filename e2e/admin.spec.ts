import { expect, test } from "./fixtures";
import { ADMIN_EMAIL, AdminDashboard, AdminUsers, signInAdmin, signUpAdmin } from "./pages/admin";
import { createAccount, openAccountMenu, SignInPage } from "./pages/auth";
import { checkPage } from "./pages/checks";
import { ageSignIns, seedDemoData } from "./support/inbox";
import { accountWithPassword, expectSignedIn, expectSignedOut, PASSWORD, signInElsewhere } from "./pages/settings";

const ADMIN_PATHS = ["/admin", "/admin/users", "/admin/users/00000000-0000-4000-8000-000000000000", "/admin/audit"];

// The journey signs the admin up and the last test signs it in again with the demo data loaded
// (after the journey, whose figures are the run's own): they run in order, and stop at a failure.
test.describe.configure({ mode: "serial" });

test("a non-admin gets a 404 on every admin page and route", async ({ page, playwright }) => {
  await createAccount(page, { label: "plain" });
  for (const path of ADMIN_PATHS) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(404);
    await expect(page.getByRole("heading", { name: "Dashboard" })).toHaveCount(0);
  }
  const metrics = await page.request.get("/api/admin/metrics");
  expect(metrics.status()).toBe(404);
  expect(await metrics.json()).toEqual({ error: { code: "not_found", message: expect.any(String) } });

  const anonymous = await playwright.request.newContext({ baseURL: test.info().project.use.baseURL });
  const withoutCredentials = await anonymous.get("/api/admin/metrics");
  expect(withoutCredentials.status()).toBe(401);
  expect((await withoutCredentials.json()).error.code).toBe("unauthorized");
  expect((await anonymous.get("/api/admin/metrics", { headers: { authorization: "Bearer not-a-token" } })).status()).toBe(401);
  expect((await anonymous.get("/admin")).status()).toBe(404);
  await anonymous.dispose();
});

test("an admin reads the dashboard, finds a user, deactivates, reactivates and promotes them", async ({ page, browser }) => {
  const target = await browser.newContext();
  const targetPage = await target.newPage();
  const { email } = await accountWithPassword(targetPage, "target");
  await signUpAdmin(page);
  // An admin's account menu leads to the admin area (issue 25).
  await (await openAccountMenu(page)).getByRole("link", { name: "Admin", exact: true }).click();
  await expect(page).toHaveURL(/\/admin$/);

  const dashboard = new AdminDashboard(page);
  await dashboard.open();
  await expect(dashboard.figure("Accounts")).not.toHaveText("0");
  await expect(dashboard.figure("Using passkeys")).toHaveText(/^\d+$/);
  await expect(dashboard.chart("Sign-ups per day")).toBeVisible();
  await expect(dashboard.chart("Code success rate")).toBeVisible();
  await expect(dashboard.chart("Active devices")).toBeVisible();
  await expect(page.locator(".recharts-surface").first()).toBeVisible();
  await checkPage(page, "admin-dashboard");

  const metrics = await page.request.get("/api/admin/metrics");
  expect(metrics.status()).toBe(200);
  const figures = await metrics.json();
  expect(figures.users.total).toBeGreaterThanOrEqual(2);
  expect(figures.users.withPasskeys).toEqual(expect.any(Number));
  expect(figures.trends).toHaveLength(30);

  const users = new AdminUsers(page);
  await users.search(email.slice(0, 12));
  await expect(page.getByRole("link", { name: email })).toBeVisible();
  await checkPage(page, "admin-users");
  await users.open(email);

  await users.act("Deactivate account", "Deactivate", /Account deactivated; [1-9]\d* sessions? ended/);
  await expect(users.badge("Deactivated")).toBeVisible();
  await expectSignedOut(targetPage);
  const blocked = await browser.newContext();
  const blockedPage = await blocked.newPage();
  const signIn = new SignInPage(blockedPage);
  await signIn.goto();
  await signIn.withPassword(email, PASSWORD);
  await expect(blockedPage.getByRole("alert").first()).toBeVisible();
  await expect(blockedPage).not.toHaveURL(/\/home$/);
  await blocked.close();

  await users.act("Reactivate account", "Reactivate", /Account reactivated/);
  await expect(users.badge("Deactivated")).toHaveCount(0);
  const back = await signInElsewhere(browser, email);
  await expectSignedIn(back.page);

  await users.act("Make admin", "Make admin", /now an admin/);
  await expect(users.badge("Admin")).toBeVisible();
  await checkPage(page, "admin-user");
  await back.page.goto("/admin");
  await expect(back.page.getByRole("heading", { level: 1 })).toHaveText("Dashboard");

  await page.goto("/admin/audit?action=admin.user_deactivated");
  await expect(page.getByRole("cell", { name: "admin.user_deactivated" })).toHaveCount(1);
  // The log speaks words, the same as the person's own activity page (issue 25).
  await expect(page.getByRole("cell", { name: "admin.user_deactivated" })).toContainText("Account deactivated by an administrator");
  await checkPage(page, "admin-audit");

  await back.context.close();
  await target.close();
});

test("an admin whose sign-in is old must confirm it's them before acting; looking is audited (ADR 0073, 0074)", async ({ page, browser }) => {
  const target = await browser.newContext();
  const { email } = await accountWithPassword(await target.newPage(), "stale_target");
  await signInAdmin(page);
  const users = new AdminUsers(page);
  await users.open(email);

  // The page was opened while the sign-in was fresh; three days later the same page still shows
  // the button, but the server refuses the action.
  await ageSignIns(ADMIN_EMAIL);
  await page.getByRole("button", { name: "Deactivate account", exact: true }).click();
  await page.getByRole("group").getByRole("button", { name: "Deactivate", exact: true }).click();
  await expect(page.getByRole("alert").filter({ hasText: "For your security, confirm it's you first." })).toBeVisible();
  await page.reload();
  await expect(users.badge("Deactivated")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Deactivate account", exact: true })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Make admin", exact: true })).toHaveCount(0);

  const confirm = page.getByRole("form", { name: "Confirm with your password" });
  await confirm.getByLabel("Your password").fill(PASSWORD);
  await confirm.getByRole("button", { name: "Confirm" }).click();
  await users.act("Deactivate account", "Deactivate", /Account deactivated/);
  await expect(users.badge("Deactivated")).toBeVisible();

  for (const action of ["admin.user_viewed", "admin.users_searched", "admin.user_deactivated"]) {
    await page.goto(`/admin/audit?action=${action}&target=${action === "admin.users_searched" ? "" : encodeURIComponent(email)}`);
    await expect(page.getByRole("cell", { name: action }).first(), action).toBeVisible();
  }
  await target.close();
});

test("the dashboard with realistic demo data reads well at phone and desktop widths", async ({ page }) => {
  await seedDemoData();
  await signInAdmin(page);
  const dashboard = new AdminDashboard(page);
  await dashboard.open();
  const accounts = Number((await dashboard.figure("Accounts").innerText()).replace(/\D/g, ""));
  expect(accounts).toBeGreaterThanOrEqual(300);
  await checkPage(page, "admin-dashboard-demo");
});

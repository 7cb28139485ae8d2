import { expect, type Page } from "@playwright/test";
import { mailedCode, OnboardingPage, newUsername, SignInPage, SignUpPage, VerifyPage } from "./auth";

/** The e2e server lists this address in ADMIN_EMAILS: it becomes an admin once verified. */
export const ADMIN_EMAIL = "admin@e2e.test";
const ADMIN_PASSWORD = "plum-kettle-orbit-94";

/** Signs an ADMIN_EMAILS account (by default the shared one) up in `page` and completes its profile. */
export async function signUpAdmin(page: Page, email = ADMIN_EMAIL) {
  const signUp = new SignUpPage(page);
  await signUp.goto();
  await signUp.withEmail(email, ADMIN_PASSWORD);
  await new VerifyPage(page).enterCode(await mailedCode(email));
  const onboarding = new OnboardingPage(page);
  await onboarding.expectShown();
  await onboarding.complete({ username: newUsername("admin") });
}

/** Signs the admin that signUpAdmin created in again, in another browser context. */
export async function signInAdmin(page: Page) {
  const signIn = new SignInPage(page);
  await signIn.goto();
  await signIn.withPassword(ADMIN_EMAIL, ADMIN_PASSWORD);
  await expect(page).toHaveURL(/\/home$/);
}

export class AdminDashboard {
  constructor(private readonly page: Page) {}

  async open() {
    await this.page.goto("/admin");
    await expect(this.page.getByRole("heading", { level: 1 })).toHaveText("Dashboard");
  }

  /** The value shown on the card labelled `label`. */
  figure(label: string) {
    return this.page.locator("div", { has: this.page.locator("dt", { hasText: label }) }).locator("dd").first();
  }

  chart(title: string) {
    return this.page.getByRole("figure", { name: title });
  }
}

export class AdminUsers {
  constructor(private readonly page: Page) {}

  async search(text: string) {
    await this.page.goto("/admin/users");
    await this.page.getByLabel("Email, phone, username or id").fill(text);
    await this.page.getByRole("button", { name: "Search" }).click();
    await expect(this.page).toHaveURL(/q=/);
  }

  async open(email: string) {
    await this.search(email);
    await this.page.getByRole("link", { name: email }).click();
    await expect(this.page.getByRole("heading", { level: 1 })).toHaveText(email);
  }

  /** Runs one of the user page's confirmed actions and waits for its outcome. */
  async act(button: string, confirm: string, outcome: RegExp) {
    await this.page.getByRole("button", { name: button, exact: true }).click();
    await this.page.getByRole("group").getByRole("button", { name: confirm, exact: true }).click();
    await expect(this.page.getByRole("status").filter({ hasText: outcome })).toBeVisible();
  }

  badge(text: string) {
    return this.page.locator("main span", { hasText: new RegExp(`^${text}$`) }).first();
  }
}

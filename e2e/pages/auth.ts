import { expect, type Browser, type Page } from "@playwright/test";
import { codeFrom, waitForMail, waitForSms } from "../support/inbox";

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}${Math.random().toString(36).slice(2, 6)}`;

export const newEmail = (label: string) => `${label}-${unique()}@e2e.test`;
export const newUsername = (label: string) => `${label}_${unique()}`.slice(0, 30);
/** A valid, unused US number in E.164. */
export const newPhone = () => `+1415555${String(Math.floor(Math.random() * 10_000)).padStart(4, "0")}`;

const CODE_SUBJECT = /is your Latchkey (password reset )?code$/;

/** The newest code mailed to `email` (optionally: not equal to a code already seen). */
export async function mailedCode(email: string, not?: string): Promise<string> {
  const mail = await waitForMail(email, (candidate) => CODE_SUBJECT.test(candidate.subject) && codeFrom(candidate.subject) !== not);
  return codeFrom(mail.subject);
}

export async function textedCode(phone: string): Promise<string> {
  return codeFrom((await waitForSms(phone)).body);
}

export class SignUpPage {
  constructor(private readonly page: Page) {}

  async goto() {
    await this.page.goto("/sign-up");
    await expect(this.page.getByRole("heading", { level: 1 })).toHaveText("Create your Latchkey account");
  }

  async withEmail(email: string, password = "") {
    await this.page.getByLabel("Email address").fill(email);
    if (password) await this.page.getByLabel("Password (optional)").fill(password);
    await this.page.getByRole("button", { name: "Send me a code" }).click();
    await expect(this.page).toHaveURL(/\/verify\?/);
  }

  async withPhone(phone: string) {
    await this.page.getByRole("button", { name: "Phone" }).click();
    await this.page.getByLabel("Phone number").fill(phone);
    await this.page.getByRole("button", { name: "Text me a code" }).click();
  }
}

export class SignInPage {
  constructor(private readonly page: Page) {}

  async goto() {
    await this.page.goto("/sign-in");
    await expect(this.page.getByRole("heading", { level: 1 })).toHaveText("Sign in to Latchkey");
  }

  /** Step one: the address alone. */
  async enterIdentifier(contact: string) {
    const form = this.page.getByRole("form", { name: "Sign in", exact: true });
    await form.getByLabel("Email or phone number").fill(contact);
    await form.getByRole("button", { name: "Continue" }).click();
    await expect(this.page.getByRole("heading", { name: "How do you want to sign in?" })).toBeVisible();
  }

  async requestCode(contact: string) {
    await this.enterIdentifier(contact);
    await this.page.getByRole("button", { name: /^(Email|Text) me a code$/ }).click();
    await expect(this.page).toHaveURL(/\/verify\?/);
  }

  async withPasskey() {
    await this.page.getByRole("button", { name: "Sign in with a passkey" }).click();
  }

  /** Password sign-in; enters the address first unless the second step is already shown for it. */
  async withPassword(contact: string, password: string) {
    const form = this.page.getByRole("form", { name: "Sign in with a password" });
    if (!(await form.isVisible())) await this.enterIdentifier(contact);
    await form.getByLabel("Password", { exact: true }).fill(password);
    await form.getByRole("button", { name: "Sign in with password" }).click();
  }
}

export class VerifyPage {
  constructor(private readonly page: Page) {}

  get codeInput() {
    return this.page.getByLabel("6-digit code");
  }

  get resendButton() {
    return this.page.getByRole("button", { name: /Send a new code/ });
  }

  /**
   * Types a code; the page sends it by itself on the sixth digit. Waits for the answer, after
   * making sure the field is ready (a refused code is cleared from it).
   */
  async enterCode(code: string) {
    await expect(this.codeInput).toHaveValue("");
    const answered = this.page.waitForResponse((response) => response.request().method() === "POST" && !!response.request().headers()["next-action"]);
    await this.codeInput.fill(code);
    await answered;
  }

  async expectError(text: string | RegExp) {
    await expect(this.page.getByRole("alert").filter({ hasText: text }).first()).toBeVisible();
  }
}

export type ProfileDetails = { username: string; dob?: string };

export class OnboardingPage {
  constructor(private readonly page: Page) {}

  async expectShown() {
    await expect(this.page).toHaveURL(/\/onboarding$/);
    await expect(this.page.getByRole("heading", { level: 1 })).toHaveText("Complete your profile");
  }

  async fill(details: ProfileDetails) {
    await this.page.getByLabel("Display name").fill("Ada");
    await this.page.getByLabel("Username").fill(details.username);
    await this.page.getByLabel("Date of birth").fill(details.dob ?? "1990-12-10");
  }

  async submit() {
    await this.page.getByRole("button", { name: "Save and continue" }).click();
  }

  async complete(details: ProfileDetails) {
    await this.fill(details);
    await expect(this.page.getByText("This username is available.")).toBeVisible();
    await this.submit();
    await expect(this.page).toHaveURL(/\/home$/);
  }
}

/** The header's account menu, opened (signed-in pages). */
export async function openAccountMenu(page: Page) {
  const button = page.getByRole("button", { name: /^Account menu/ });
  if ((await button.getAttribute("aria-expanded")) !== "true") await button.click();
  await expect(button).toHaveAttribute("aria-expanded", "true");
  return page.getByRole("navigation", { name: "Account" });
}

/** Signs out from the account menu, or from the page itself where there is no menu (the profile gate). */
export async function signOut(page: Page) {
  if (await page.getByRole("button", { name: /^Account menu/ }).isVisible()) await openAccountMenu(page);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
}

/** Signs a new account up by email code and completes its profile; returns its address. */
export async function createAccount(page: Page, options: { label: string; password?: string; username?: string; email?: string }) {
  const email = options.email ?? newEmail(options.label);
  const signUp = new SignUpPage(page);
  await signUp.goto();
  await signUp.withEmail(email, options.password);
  await new VerifyPage(page).enterCode(await mailedCode(email));
  const onboarding = new OnboardingPage(page);
  await onboarding.expectShown();
  const username = options.username ?? newUsername(options.label);
  await onboarding.complete({ username });
  return { email, username };
}

/**
 * A username another account already holds, and a new address signed in by code on `page` up to
 * the profile form (the onboarding page, shown).
 */
export async function atProfileFormBesideTakenName(page: Page, browser: Browser, label: string) {
  const taken = newUsername(`${label}_held`);
  const other = await browser.newPage();
  await createAccount(other, { label: `${label}-holder`, username: taken });
  await other.close();

  const email = newEmail(label);
  const signIn = new SignInPage(page);
  await signIn.goto();
  await signIn.requestCode(email);
  await new VerifyPage(page).enterCode(await mailedCode(email));
  const onboarding = new OnboardingPage(page);
  await onboarding.expectShown();
  return { taken, onboarding };
}

/** Requests a sign-in code for `email` and uses it up with five wrong guesses; the code page stays. */
export async function spendSignInCode(page: Page, email: string) {
  const signIn = new SignInPage(page);
  await signIn.goto();
  await signIn.requestCode(email);
  const code = await mailedCode(email);
  const verify = new VerifyPage(page);
  for (let guess = 0; guess < 5; guess += 1) await verify.enterCode(code === "000000" ? "111111" : "000000");
  return { verify, code };
}

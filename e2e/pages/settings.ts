import { expect, type Browser, type Page } from "@playwright/test";
import { codeFrom, waitForMail, waitForSms } from "../support/inbox";
import { createAccount, SignInPage } from "./auth";
import { checkPage } from "./checks";

// Page objects for /settings/*. Accounts are made through the sign-in issue's pages (./auth).

export const PASSWORD = "plum-kettle-orbit-94";

/** A new account with a password, signed in on `page`; `label` becomes part of a username (letters, digits, _). */
export async function accountWithPassword(page: Page, label: string) {
  return { ...(await createAccount(page, { label, password: PASSWORD })), password: PASSWORD };
}

/** Another browser (its own cookies: a separate device) signed in to the same account. */
export async function signInElsewhere(browser: Browser, email: string, password = PASSWORD) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const signIn = new SignInPage(page);
  await signIn.goto();
  await signIn.withPassword(email, password);
  await expect(page).toHaveURL(/\/home$/);
  return { context, page };
}

/** A page that needs a session, opened afresh: asserts whether this browser is still signed in. */
export async function expectSignedOut(page: Page) {
  await page.goto("/settings/devices");
  await expect(page).toHaveURL(/\/sign-in/);
}

export async function expectSignedIn(page: Page) {
  await page.goto("/settings/devices");
  await expect(page).toHaveURL(/\/settings\/devices$/);
}

/** Screenshots and axe at 360 and 1280 px (./checks), and nothing wider than a 360 px phone. */
export async function checkSettingsPage(page: Page, name: string) {
  await checkPage(page, name);
  const original = page.viewportSize();
  await page.setViewportSize({ width: 360, height: 900 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, `${name} scrolls sideways at 360 px`).toBe(0);
  if (original) await page.setViewportSize(original);
}

export class SettingsPage {
  constructor(protected readonly page: Page) {}

  async open(section: "profile" | "email" | "phone" | "password" | "passkeys" | "two-step" | "privacy" | "devices" | "security" | "account") {
    await this.page.goto(`/settings/${section}`);
    await expect(this.page.getByRole("heading", { level: 1 })).toHaveText("Settings");
  }

  async expectMessage(text: string | RegExp) {
    await expect(this.page.getByRole("status").filter({ hasText: text }).first()).toBeVisible();
  }

  async expectError(text: string | RegExp) {
    await expect(this.page.getByRole("alert").filter({ hasText: text }).first()).toBeVisible();
  }

  async enterCode(code: string) {
    const form = this.page.getByRole("form", { name: "Enter the code" });
    await form.getByLabel("6-digit code").fill(code);
    await form.getByRole("button", { name: "Confirm" }).click();
  }
}

export class EmailSettings extends SettingsPage {
  async requestChange(newAddress: string) {
    const form = this.page.getByRole("form", { name: "New email address" });
    await form.getByLabel("New email address").fill(newAddress);
    await form.getByRole("button", { name: "Send code" }).click();
    await expect(this.page.getByRole("form", { name: "Enter the code" })).toBeVisible();
  }

  /** The code in the mail the new address received. */
  async codeMailedTo(newAddress: string) {
    const mail = await waitForMail(newAddress, (candidate) => /code to confirm this address/.test(candidate.subject));
    return codeFrom(mail.subject);
  }

  /** The revert link from the notice the old address received. */
  async revertLinkMailedTo(oldAddress: string) {
    const notice = await waitForMail(oldAddress, (mail) => mail.subject === "The email address of your Latchkey account was changed");
    const link = /https?:\/\/\S+\/email-change\/revert\?token=[\w%-]+/.exec(notice.text)?.[0];
    if (!link) throw new Error(`no revert link in: ${notice.text}`);
    return link;
  }

  /** Opens the undo link; `phone` picks the number to put back among those the page lists (ADR 0086). */
  async revert(link: string, options: { phone?: string } = {}) {
    await this.page.goto(link);
    if (options.phone) await this.page.getByRole("radio", { name: `Put back ${options.phone}` }).check();
    await this.page.getByRole("button", { name: "Restore my address and sign out everywhere" }).click();
  }
}

export class PhoneSettings extends SettingsPage {
  async requestChange(phone: string) {
    const form = this.page.getByRole("form", { name: "New phone number" });
    await form.getByLabel("New phone number").fill(phone);
    await form.getByRole("button", { name: "Send code" }).click();
    await expect(this.page.getByRole("form", { name: "Enter the code" })).toBeVisible();
  }

  async codeTextedTo(phone: string) {
    return codeFrom((await waitForSms(phone)).body);
  }
}

export class PasswordSettings extends SettingsPage {
  async change(current: string, next: string) {
    const form = this.page.getByRole("form", { name: "Password" });
    await form.getByLabel("Current password").fill(current);
    await form.getByLabel("New password").fill(next);
    await form.getByRole("button", { name: "Change password" }).click();
  }

  async set(password: string) {
    const form = this.page.getByRole("form", { name: "Password" });
    await form.getByLabel("New password").fill(password);
    await form.getByRole("button", { name: "Set password" }).click();
  }
}

export class DeviceSettings extends SettingsPage {
  get devices() {
    return this.page.getByRole("list", { name: "Your devices" }).getByRole("listitem");
  }

  /** The devices that are not this browser. */
  get otherDevices() {
    return this.devices.filter({ hasNotText: "This device" });
  }

  get currentDevice() {
    return this.devices.filter({ hasText: "This device" });
  }

  async rename(device: ReturnType<Page["locator"]>, name: string) {
    await device.getByRole("button", { name: /^Rename/ }).click();
    await device.getByLabel("Device name").fill(name);
    await device.getByRole("button", { name: "Save name" }).click();
  }

  async signOut(device: ReturnType<Page["locator"]>) {
    await device.getByRole("button", { name: /^Sign out/ }).click();
    await device.getByRole("button", { name: "Yes, sign it out" }).click();
  }

  async signOutEverywhereElse() {
    await this.page.getByRole("button", { name: "Sign out everywhere else" }).click();
    await this.page.getByRole("button", { name: "Yes, sign out every other device" }).click();
    await this.expectMessage("Every other device was signed out.");
  }
}

export class ProfileSettings extends SettingsPage {
  async changeDisplayName(name: string) {
    const form = this.page.getByRole("form", { name: "Your profile" });
    await form.getByLabel("Display name").fill(name);
    await form.getByRole("button", { name: "Save changes" }).click();
    await this.expectMessage("Your profile was saved.");
  }
}

export class PasskeySettings extends SettingsPage {
  get passkeys() {
    return this.page.getByRole("list", { name: "Your passkeys" }).getByRole("listitem");
  }

  async add() {
    await this.page.getByRole("button", { name: "Add a passkey" }).click();
  }

  async rename(passkey: ReturnType<Page["locator"]>, name: string) {
    await passkey.getByRole("button", { name: /^Rename/ }).click();
    await passkey.getByLabel("Passkey name").fill(name);
    await passkey.getByRole("button", { name: "Save name" }).click();
  }

  async remove(passkey: ReturnType<Page["locator"]>) {
    await passkey.getByRole("button", { name: /^Remove/ }).click();
    await passkey.getByRole("button", { name: "Yes, remove it" }).click();
  }
}

export class PrivacySettings extends SettingsPage {
  byUsername() {
    return this.page.getByRole("switch", { name: "People can find me by username" });
  }

  byPhone() {
    return this.page.getByRole("switch", { name: "People who have my number can find me" });
  }

  /** Flips both switches and saves, with the keyboard only. */
  async toggleBothByKeyboard() {
    await this.byUsername().focus();
    await this.page.keyboard.press("Space");
    await this.page.keyboard.press("Tab");
    await expect(this.byPhone()).toBeFocused();
    await this.page.keyboard.press("Space");
    await this.page.keyboard.press("Tab");
    await expect(this.page.getByRole("button", { name: "Save privacy settings" })).toBeFocused();
    await this.page.keyboard.press("Enter");
    await this.expectMessage("Your privacy settings were saved.");
  }
}

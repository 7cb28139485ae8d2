import { expect, type Page } from "@playwright/test";
import { Secret, TOTP } from "otpauth";
import { SettingsPage } from "./settings";

// Two-step verification: the settings page (/settings/two-step) and the sign-in's authenticator
// step (/sign-in/two-step). Codes are computed here from the key the page shows as text, as an
// authenticator app would.

const PERIOD_MS = 30_000;
const stepAt = (time: number) => Math.floor(time / PERIOD_MS);
/** A code is typed and checked within this long of being read off the app. */
const SUBMIT_MARGIN_MS = 8_000;

/**
 * An authenticator app holding one key; it never shows a code of a step it showed before (the server
 * refuses those). The server takes the step before and after the current one too (clock drift), so
 * the app uses the earliest step still acceptable for the next few seconds: three codes in a row
 * need no wait, where waiting for each next step cost a journey up to 30 s a code.
 */
export class Authenticator {
  private lastStep = -1;

  constructor(private readonly key: string) {}

  async nextCode(): Promise<string> {
    const step = Math.max(this.lastStep + 1, stepAt(Date.now() + SUBMIT_MARGIN_MS) - 1);
    // A step more than one ahead is refused until the clock is one step short of it.
    const usableFrom = (step - 1) * PERIOD_MS + 200;
    if (usableFrom > Date.now()) await new Promise((resolve) => setTimeout(resolve, usableFrom - Date.now()));
    this.lastStep = step;
    return this.codeOf(step);
  }

  /** The code of the step used last: what a replay sends. */
  lastCode(): string {
    return this.codeOf(this.lastStep);
  }

  private codeOf(step: number): string {
    return new TOTP({ secret: Secret.fromBase32(this.key.replace(/ /g, "")), digits: 6, period: 30 }).generate({ timestamp: step * PERIOD_MS });
  }
}

export class TwoStepSettings extends SettingsPage {
  get status() {
    return this.page.getByTestId("two-step-status");
  }

  /** Starts setup and returns the app that scanned it (the key shown as text). */
  async startSetup(): Promise<Authenticator> {
    await this.page.getByRole("button", { name: "Turn on two-step verification" }).click();
    await expect(this.page.getByRole("img", { name: "QR code for your authenticator app" })).toBeVisible();
    return new Authenticator(await this.page.getByTestId("two-step-key").innerText());
  }

  /** Confirms setup with the app's code and returns the ten recovery codes shown. */
  async confirm(app: Authenticator): Promise<string[]> {
    const form = this.page.getByRole("form", { name: "Confirm with a code from your app" });
    await form.getByLabel("6-digit code").fill(await app.nextCode());
    await form.getByRole("button", { name: "Turn on" }).click();
    const list = this.page.getByRole("list", { name: "Recovery codes" });
    await expect(list.getByRole("listitem")).toHaveCount(10);
    return list.getByRole("listitem").allInnerTexts();
  }
}

export class TwoStepSignIn {
  constructor(private readonly page: Page) {}

  async expectShown() {
    await expect(this.page).toHaveURL(/\/sign-in\/two-step/);
    await expect(this.page.getByLabel("6-digit code")).toBeFocused();
  }

  /** Types the code; the form sends itself on the sixth digit. */
  async enterCode(code: string) {
    await this.page.getByLabel("6-digit code").fill(code);
  }

  async useRecoveryCode(code: string) {
    if (!(await this.page.getByLabel("Recovery code").isVisible())) await this.page.getByRole("button", { name: "Use a recovery code" }).click();
    const form = this.page.getByRole("form", { name: "Use a recovery code" });
    await form.getByLabel("Recovery code").fill(code);
    await form.getByRole("button", { name: "Continue" }).click();
  }
}

import { expect, type Page } from "@playwright/test";
import { Secret, TOTP } from "otpauth";
import { SettingsPage } from "./settings";

// Two-step verification: the settings page (/settings/two-step) and the sign-in's authenticator
// step (/sign-in/two-step). Codes are computed here from the key the page shows as text, as an
// authenticator app would.

const PERIOD_MS = 30_000;
const stepNow = () => Math.floor(Date.now() / PERIOD_MS);

/** An authenticator app holding one key; it never shows a code of a step it showed before (the server refuses those). */
export class Authenticator {
  private lastStep = -1;

  constructor(private readonly key: string) {}

  /** The current code, waiting for the next step when this step's code was already used. */
  async nextCode(): Promise<string> {
    if (stepNow() <= this.lastStep) await new Promise((resolve) => setTimeout(resolve, (this.lastStep + 1) * PERIOD_MS - Date.now() + 200));
    this.lastStep = stepNow();
    return this.codeOf(this.lastStep);
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

import { expect, test } from "./fixtures";
import { signOut, SignInPage } from "./pages/auth";
import { checkPage } from "./pages/checks";
import { accountWithPassword, checkSettingsPage } from "./pages/settings";
import { TwoStepSettings, TwoStepSignIn } from "./pages/two-step";
import { waitForMail } from "./support/inbox";

test("two-step verification: turn on, sign in with the app's code (a replay refused), a recovery code once, and over the API", async ({ page, request }) => {
  // The journey waits for the authenticator's next 30-second step once (after the replay).
  test.setTimeout(180_000);
  const { email, password } = await accountWithPassword(page, "twostep");
  const settings = new TwoStepSettings(page);
  await settings.open("two-step");
  await expect(settings.status).toHaveText("Off.");
  const app = await settings.startSetup();
  await checkSettingsPage(page, "settings-two-step-setup");
  const recoveryCodes = await settings.confirm(app);
  await page.getByRole("button", { name: "I have saved them" }).click();
  await expect(settings.status).toContainText("10 of 10 recovery codes left");
  await waitForMail(email, (mail) => mail.subject === "Two-step verification is on for your Latchkey account");

  // Password, then the authenticator step, before any session exists.
  await signOut(page);
  const signIn = new SignInPage(page);
  const step = new TwoStepSignIn(page);
  await signIn.goto();
  await signIn.withPassword(email, password);
  await step.expectShown();
  await checkPage(page, "sign-in-two-step");
  await step.enterCode(app.lastCode());
  await expect(page.getByText(/That code was already used|That code is not right/)).toBeVisible();
  await step.enterCode(await app.nextCode());
  await expect(page).toHaveURL(/\/home$/);

  // A recovery code works once.
  for (const attempt of ["first", "again"] as const) {
    await signOut(page);
    await signIn.goto();
    await signIn.withPassword(email, password);
    await step.expectShown();
    await step.useRecoveryCode(recoveryCodes[0]!);
    // Generous: on a busy machine the sign-in (action, ticket, home) can take longer than the default.
    if (attempt === "first") await expect(page).toHaveURL(/\/home$/, { timeout: 30_000 });
    else await expect(page.getByText("That recovery code is not right, or it was already used.")).toBeVisible();
  }
  await waitForMail(email, (mail) => mail.subject === "A recovery code was used to sign in to your Latchkey account");

  // A messaging client: the password answers with a challenge, a second factor finishes it, once.
  const first = await request.post("/api/auth/token", { data: { email, password, deviceName: "E2E phone" } });
  expect(first.status()).toBe(401);
  const { error } = (await first.json()) as { error: { code: string; challenge: string } };
  expect(error.code).toBe("second_factor_required");
  const finished = await request.post("/api/auth/token", { data: { challenge: error.challenge, recoveryCode: recoveryCodes[1] } });
  expect(finished.status()).toBe(201);
  const again = await request.post("/api/auth/token", { data: { challenge: error.challenge, recoveryCode: recoveryCodes[2] } });
  expect(((await again.json()) as { error: { code: string } }).error.code).toBe("challenge_expired");
});

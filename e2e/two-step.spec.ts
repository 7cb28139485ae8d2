import { expect, test } from "./fixtures";
import { signOut, SignInPage } from "./pages/auth";
import { checkPage } from "./pages/checks";
import { accountWithPassword, checkSettingsPage } from "./pages/settings";
import { TwoStepSettings, TwoStepSignIn } from "./pages/two-step";
import { ageSignIns, waitForMail } from "./support/inbox";

test("two-step verification: turn on, sign in with the app's code (a replay refused), a recovery code once, over the API, new recovery codes, turn off", async ({ page, request }) => {
  // Several sign-ins, two of them through the API, and the settings page checked twice: long on a busy machine.
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
  // The refused recovery code left the challenge open: back in with the app's code, for the settings below.
  await page.getByRole("button", { name: "Use a code from your authenticator app" }).click();
  await step.enterCode(await app.nextCode());
  await expect(page).toHaveURL(/\/home$/, { timeout: 30_000 });

  // A messaging client: the password answers with a challenge, a second factor finishes it, once.
  const first = await request.post("/api/auth/token", { data: { email, password, deviceName: "E2E phone" } });
  expect(first.status()).toBe(401);
  const { error } = (await first.json()) as { error: { code: string; challenge: string } };
  expect(error.code).toBe("second_factor_required");
  const finished = await request.post("/api/auth/token", { data: { challenge: error.challenge, recoveryCode: recoveryCodes[1] } });
  expect(finished.status()).toBe(201);
  const again = await request.post("/api/auth/token", { data: { challenge: error.challenge, recoveryCode: recoveryCodes[2] } });
  expect(((await again.json()) as { error: { code: string } }).error.code).toBe("challenge_expired");

  // New recovery codes replace the old ones; then the method is turned off and the password alone signs in.
  await settings.open("two-step");
  await checkSettingsPage(page, "settings-two-step-on");
  await page.getByRole("button", { name: "Make new recovery codes" }).click();
  await expect(page.getByRole("list", { name: "Recovery codes" }).getByRole("listitem")).toHaveCount(10);
  const fresh = await page.getByRole("list", { name: "Recovery codes" }).getByRole("listitem").allInnerTexts();
  expect(fresh).toHaveLength(10);
  expect(fresh.filter((code) => recoveryCodes.includes(code))).toEqual([]);
  await page.getByRole("button", { name: "I have saved them" }).click();
  await expect(settings.status).toContainText("10 of 10 recovery codes left");
  await waitForMail(email, (mail) => mail.subject === "New recovery codes for your Latchkey account");
  const finishWith = async (recoveryCode: string) => {
    const started = await request.post("/api/auth/token", { data: { email, password, deviceName: "E2E tablet" } });
    const { error: challenge } = (await started.json()) as { error: { challenge: string } };
    return request.post("/api/auth/token", { data: { challenge: challenge.challenge, recoveryCode } });
  };
  expect(((await (await finishWith(recoveryCodes[3]!)).json()) as { error: { code: string } }).error.code).toBe("invalid_recovery_code");
  expect((await finishWith(fresh[0]!)).status()).toBe(201);

  // Later, turning it off needs "Confirm it's you" with the second step: the password and a mailed code are not offered (attack F3).
  await ageSignIns(email);
  await settings.open("two-step");
  await expect(page.getByRole("button", { name: /Send a code to/ })).toHaveCount(0);
  await expect(page.getByLabel("Your password")).toHaveCount(0);
  await page.getByLabel("6-digit code").fill(await app.nextCode());
  await page.getByRole("button", { name: "Confirm", exact: true }).click();
  await page.getByRole("button", { name: "Turn off" }).click();
  await page.getByRole("group", { name: "Confirm turning off" }).getByRole("button", { name: "Yes, turn it off" }).click();
  await expect(settings.status).toHaveText("Off.");
  await waitForMail(email, (mail) => mail.subject === "Two-step verification was turned off on your Latchkey account");
  expect((await request.post("/api/auth/token", { data: { email, password, deviceName: "E2E laptop" } })).status()).toBe(201);
});

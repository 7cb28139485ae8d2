import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { signOut, SignInPage } from "./pages/auth";
import { checkPage } from "./pages/checks";
import { checkSettingsPage, EmailSettings, PasskeySettings } from "./pages/settings";
import { createAccount, newEmail } from "./pages/auth";
import { ageSignIns, waitForMail } from "./support/inbox";

/** Chromium's virtual authenticator on this page: a platform authenticator with resident keys and user verification. */
async function addVirtualAuthenticator(page: Page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return { cdp, authenticatorId };
}

test("from sign-up to a passkey-only sign-in: add, sign in, confirm an email change, remove", async ({ page }) => {
  const { email } = await createAccount(page, { label: "passkey" });
  const { cdp, authenticatorId } = await addVirtualAuthenticator(page);
  const settings = new PasskeySettings(page);

  // A fresh sign-in counts as a recent one: the passkey can be added straight away.
  await settings.open("passkeys");
  await expect(page.getByText("No passkeys yet.")).toBeVisible();
  await settings.add();
  await settings.expectMessage("Passkey added: Passkey.");
  await expect(settings.passkeys).toHaveCount(1);
  await waitForMail(email, (mail) => mail.subject === "A passkey was added to your Latchkey account");
  const { credentials } = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
  expect(credentials).toHaveLength(1);
  expect(credentials[0]!.isResidentCredential).toBe(true);
  await settings.rename(settings.passkeys.first(), "Test laptop");
  await expect(settings.passkeys.first()).toContainText("Test laptop");
  await expect(settings.passkeys.first()).toContainText("Last used");
  await checkSettingsPage(page, "settings-passkeys");

  // Passkey-only sign-in: no address, no code, no password. First by autofill (conditional
  // mediation): the virtual authenticator answers the sign-in page's background request at once.
  // It is silent during the sign-out, whose landing page is /sign-in: else it signs straight back
  // in before the sign-out can be seen to have worked.
  await cdp.send("WebAuthn.setAutomaticPresenceSimulation", { authenticatorId, enabled: false });
  await signOut(page);
  await cdp.send("WebAuthn.setAutomaticPresenceSimulation", { authenticatorId, enabled: true });
  const signIn = new SignInPage(page);
  await page.goto("/sign-in");
  await expect(page).toHaveURL(/\/home$/);

  // Then with the button, while the authenticator leaves the background request unanswered. It
  // stops answering before the sign-out: the sign-out lands on /sign-in, whose background request
  // the virtual authenticator would otherwise answer at once, signing straight back in.
  await cdp.send("WebAuthn.setAutomaticPresenceSimulation", { authenticatorId, enabled: false });
  await signOut(page);
  await signIn.goto();
  await checkPage(page, "sign-in-passkey");
  await cdp.send("WebAuthn.setAutomaticPresenceSimulation", { authenticatorId, enabled: true });
  await signIn.withPasskey();
  await expect(page).toHaveURL(/\/home$/);

  // The passkey confirms it's you for an email change.
  await ageSignIns(email);
  const emailSettings = new EmailSettings(page);
  await emailSettings.open("email");
  await expect(page.getByRole("button", { name: "Confirm with a passkey" })).toBeVisible();
  await checkSettingsPage(page, "settings-email-reauth-passkey");
  await page.getByRole("button", { name: "Confirm with a passkey" }).click();
  const newAddress = newEmail("passkeynew");
  await emailSettings.requestChange(newAddress);
  await emailSettings.enterCode(await emailSettings.codeMailedTo(newAddress));
  await emailSettings.expectMessage(`Your email address is now ${newAddress}.`);

  // Removing it (a recent sign-in is not needed to take a way in away) ends passkey sign-in.
  await settings.open("passkeys");
  await expect(settings.passkeys.first()).not.toContainText("Never");
  await settings.remove(settings.passkeys.first());
  await expect(page.getByText("No passkeys yet.")).toBeVisible();
  await waitForMail(newAddress, (mail) => mail.subject === "A passkey was removed from your Latchkey account");
  await settings.open("security");
  await expect(page.getByText("Passkey added")).toBeVisible();
  await expect(page.getByText("Passkey removed")).toBeVisible();

  await signOut(page);
  await signIn.goto();
  await signIn.withPasskey();
  await expect(page.getByRole("alert").filter({ hasText: "That passkey did not work here." })).toBeVisible();
  await expect(page).toHaveURL(/\/sign-in/);
  // One error, not two: the sign-in field the button click left is not marked as a mistake (issue 25).
  const identifier = page.getByRole("form", { name: "Sign in", exact: true }).getByLabel("Email or phone number");
  await expect(identifier).not.toHaveAttribute("aria-invalid", "true");
  await expect(page.getByRole("alert").filter({ hasText: /\S/ })).toHaveCount(1);
});

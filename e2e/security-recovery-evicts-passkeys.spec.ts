import type { APIRequestContext, Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { generateClientKeys } from "../test/keys";
import { codeFrom, waitForMail, waitForSms } from "./support/inbox";
import { captureUrl } from "./support/ports";
import { newEmail, newPhone, SignInPage } from "./pages/auth";
import { accountWithPassword, EmailSettings, expectSignedOut, PasskeySettings, signInElsewhere } from "./pages/settings";

// Issue 22, items 1 and 2 (ADRs 0063-0065): an intruder who has the password adds a passkey and a
// messaging device and changes the address. The owner's recovery (the revert link, then a reset by
// link) must take every one of them away and tell the owner by name, and while the revert link is
// open every security notice must reach the owner's old address too.

/** Chromium's virtual authenticator: a platform authenticator with resident keys and user verification. */
async function addVirtualAuthenticator(page: Page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  return { cdp, authenticatorId };
}

async function addPasskey(page: Page, name: string) {
  const settings = new PasskeySettings(page);
  await settings.open("passkeys");
  await settings.add();
  await settings.expectMessage(/Passkey added/);
  await settings.rename(settings.passkeys.first(), name);
  await expect(settings.passkeys.first()).toContainText(name);
}

async function changeEmail(page: Page, to: string) {
  const settings = new EmailSettings(page);
  await settings.open("email");
  await settings.requestChange(to);
  await settings.enterCode(await settings.codeMailedTo(to));
  await settings.expectMessage(`Your email address is now ${to}.`);
}

/** The intruder's passkey no longer signs in: the sign-in page says so and stays put. */
async function expectPasskeyRefused(page: Page, authenticator: Awaited<ReturnType<typeof addVirtualAuthenticator>>) {
  // Silent while the sign-in page loads, so its autofill request does not answer before the button is pressed.
  await authenticator.cdp.send("WebAuthn.setAutomaticPresenceSimulation", { authenticatorId: authenticator.authenticatorId, enabled: false });
  await new SignInPage(page).goto();
  await authenticator.cdp.send("WebAuthn.setAutomaticPresenceSimulation", { authenticatorId: authenticator.authenticatorId, enabled: true });
  await new SignInPage(page).withPasskey();
  await expect(page.getByRole("alert").filter({ hasText: /passkey did not work/ }).first()).toBeVisible();
  await expect(page).not.toHaveURL(/\/home$/);
}

async function clientBundleStatus(request: APIRequestContext, email: string, password: string, target: { userId: string; deviceId: string }) {
  const owner = await request.post("/api/auth/token", { data: { email, password, deviceName: `Owner ${Date.now()}` } });
  const bearer = { authorization: `Bearer ${((await owner.json()) as { token: string }).token}` };
  return (await request.get(`/api/keys/${target.userId}/${target.deviceId}`, { headers: bearer })).status();
}

test("a passkey added after an intruder's email change is reported to the old address and removed by the revert", async ({ page, browser }) => {
  test.slow(); // a long journey through three browsers
  const { email: ownerEmail, password } = await accountWithPassword(page, "passkeyrevert");
  const intruder = await signInElsewhere(browser, ownerEmail, password);
  const authenticator = await addVirtualAuthenticator(intruder.page);
  await changeEmail(intruder.page, newEmail("intruder"));
  await addPasskey(intruder.page, "Intruder key");

  // Item 2: the owner's old address hears of the passkey while the revert link is open.
  await waitForMail(ownerEmail, (mail) => mail.subject === "A passkey was added to your Latchkey account");

  // Item 1: the revert removes it, and the owner is told its name.
  const ownerMailbox = await (await browser.newContext()).newPage();
  const emailSettings = new EmailSettings(ownerMailbox);
  await emailSettings.revert(await emailSettings.revertLinkMailedTo(ownerEmail));
  await expect(ownerMailbox.getByRole("status")).toContainText(`Your address ${ownerEmail} is back`);
  const undone = await waitForMail(ownerEmail, (mail) => mail.subject === "We undid changes to your Latchkey account");
  expect(undone.text).toMatch(/passkeys were removed and can no longer sign in: Intruder key \(added \d{4}-\d\d-\d\d \d\d:\d\d UTC\)/);
  await expectSignedOut(intruder.page);
  await expectPasskeyRefused(intruder.page, authenticator);
  await intruder.context.close();
});

test("a reset by link removes the intruder's passkey and messaging device, listed on the form and in the mail", async ({ page, browser, request }) => {
  test.slow(); // a long journey through three browsers
  const { email: ownerEmail, password } = await accountWithPassword(page, "passkeyreset");
  const intruder = await signInElsewhere(browser, ownerEmail, password);
  const authenticator = await addVirtualAuthenticator(intruder.page);
  await addPasskey(intruder.page, "Intruder key");
  const signedIn = await request.post("/api/auth/token", { data: { email: ownerEmail, password, deviceName: "Intruder phone" } });
  const client = (await signedIn.json()) as { token: string; userId: string; deviceId: string };
  const bearer = { authorization: `Bearer ${client.token}` };
  expect((await request.put("/api/keys", { headers: bearer, data: generateClientKeys({ preKeys: 2, pqPreKeys: 2 }).upload })).status()).toBe(204);
  // The address is unchanged (an email change's undo would already remove both, ADR 0086).
  const ownerMailbox = await (await browser.newContext()).newPage();

  // The owner resets by link: the form lists the passkey, its removal checked by default.
  await ownerMailbox.goto("/reset");
  await ownerMailbox.getByLabel("Email address").fill(ownerEmail);
  await ownerMailbox.getByRole("button", { name: "Send reset mail" }).click();
  const resetMail = await waitForMail(ownerEmail, (mail) => /\/reset\/[\w-]+/.test(mail.text));
  await ownerMailbox.goto(/(http\S+\/reset\/[\w-]+)/.exec(resetMail.text)![1]!);
  const removeAll = ownerMailbox.getByRole("checkbox", { name: "Also remove every passkey of this account" });
  await expect(removeAll).toBeChecked();
  await expect(ownerMailbox.getByText(/Intruder key, added/)).toBeVisible();
  await ownerMailbox.getByLabel("New password", { exact: true }).fill("owner-took-it-back-71");
  await ownerMailbox.getByRole("button", { name: "Set new password" }).click();
  await expect(ownerMailbox).toHaveURL(/\/home/);

  const notice = await waitForMail(ownerEmail, (mail) => mail.subject === "Your Latchkey password was reset");
  expect(notice.text).toContain("Intruder key (added ");
  expect(notice.text).toContain("messaging devices were signed out and removed with their encryption keys: Intruder phone");
  await expectPasskeyRefused(intruder.page, authenticator);
  expect(await clientBundleStatus(request, ownerEmail, "owner-took-it-back-71", client)).toBe(404);
  await intruder.context.close();
});

test("a phone-only account is texted when a new messaging device signs in", async ({ request }) => {
  const phoneNumber = newPhone();
  const signIn = async (deviceName: string, previousCode?: string) => {
    expect((await request.post("/api/auth/code", { data: { phoneNumber } })).status()).toBe(202);
    const code = codeFrom((await waitForSms(phoneNumber, (sms) => /^\d{6} is your/.test(sms.body) && !sms.body.startsWith(`${previousCode} `))).body);
    expect((await request.post("/api/auth/token", { data: { phoneNumber, code, deviceName } })).status()).toBe(201);
    return code;
  };
  const first = await signIn("First phone");
  // The 60 s wait before another code to the same number, passed without waiting it out.
  expect((await fetch(`${captureUrl}/end-resend-wait?to=${encodeURIComponent(phoneNumber)}`, { method: "POST" })).ok).toBe(true);
  await signIn("Second phone", first);
  const sms = await waitForSms(phoneNumber, (message) => message.body.includes("new sign-in"));
  expect(sms.body).toContain("Second phone");
});

import { expect, test } from "./fixtures";
import { generateClientKeys } from "../test/keys";
import { humanPhoneNumber } from "../lib/format/phone";
import { waitForMail } from "./support/inbox";
import { mailedCode, newEmail, newPhone, SignInPage } from "./pages/auth";
import { accountWithPassword, EmailSettings, expectSignedOut, PhoneSettings, signInElsewhere } from "./pages/settings";

// Issue 10, item 5: an intruder who knows the owner's password takes the account over (new email,
// new phone, a client device with keys, a reset pending to their own address). The owner's revert
// link must undo all of it and tell the owner what was undone.

test("the email-change revert evicts an intruder: resets, sessions, devices, keys and phone", async ({ page, browser, request }) => {
  const { email: ownerEmail, password } = await accountWithPassword(page, "victim");
  const ownerPhone = newPhone();
  const ownerPhoneSettings = new PhoneSettings(page);
  await ownerPhoneSettings.open("phone");
  await ownerPhoneSettings.requestChange(ownerPhone);
  await ownerPhoneSettings.enterCode(await ownerPhoneSettings.codeTextedTo(ownerPhone));
  await ownerPhoneSettings.expectMessage(`Your phone number is now ${ownerPhone}.`);

  // The intruder signs in with the owner's password and takes the account over.
  const intruder = await signInElsewhere(browser, ownerEmail, password);
  const intruderEmail = newEmail("intruder");
  const emailSettings = new EmailSettings(intruder.page);
  await emailSettings.open("email");
  await emailSettings.requestChange(intruderEmail);
  await emailSettings.enterCode(await emailSettings.codeMailedTo(intruderEmail));
  await emailSettings.expectMessage(`Your email address is now ${intruderEmail}.`);

  const intruderPhone = newPhone();
  const phoneSettings = new PhoneSettings(intruder.page);
  await phoneSettings.open("phone");
  await phoneSettings.requestChange(intruderPhone);
  await phoneSettings.enterCode(await phoneSettings.codeTextedTo(intruderPhone));
  await phoneSettings.expectMessage(`Your phone number is now ${intruderPhone}.`);

  const signedIn = await request.post("/api/auth/token", { data: { email: intruderEmail, password, deviceName: "Intruder phone" } });
  expect(signedIn.status()).toBe(201);
  const client = (await signedIn.json()) as { token: string; userId: string; deviceId: string };
  const bearer = { authorization: `Bearer ${client.token}` };
  expect((await request.put("/api/keys", { headers: bearer, data: generateClientKeys({ preKeys: 3, pqPreKeys: 3 }).upload })).status()).toBe(204);

  // A reset mailed to the intruder's address, its code form left open for later.
  const resetPage = await (await browser.newContext()).newPage();
  await resetPage.goto("/reset");
  await resetPage.getByLabel("Email address").fill(intruderEmail);
  await resetPage.getByRole("button", { name: "Send reset mail" }).click();
  const resetMail = await waitForMail(intruderEmail, (mail) => /\/reset\/[\w-]+/.test(mail.text));
  const resetLink = /(http\S+\/reset\/[\w-]+)/.exec(resetMail.text)![1]!;
  const resetCode = await mailedCode(intruderEmail);

  // The owner uses the revert link from the notice their old address received.
  const ownerMailbox = await (await browser.newContext()).newPage();
  const revertLink = await new EmailSettings(ownerMailbox).revertLinkMailedTo(ownerEmail);
  // The owner's number was added in the days before the change, so it is offered, not assumed (ADR 0086).
  await new EmailSettings(ownerMailbox).revert(revertLink, { phone: ownerPhone });
  await expect(ownerMailbox.getByRole("status")).toContainText(`Your address ${ownerEmail} is back`);

  // The intruder's reset link and code are dead.
  // The reset link is dead the moment it opens: no form to type a new password into.
  await intruder.page.goto(resetLink);
  await expect(intruder.page.getByRole("alert").first()).toContainText(/expired or was already used/);
  await expect(intruder.page.getByLabel("New password", { exact: true })).toHaveCount(0);
  await resetPage.getByLabel("6-digit code").fill(resetCode);
  await resetPage.getByLabel("New password", { exact: true }).fill("intruder-new-secret-94");
  await resetPage.getByRole("button", { name: "Set new password" }).click();
  await expect(resetPage.getByRole("alert").first()).toBeVisible();
  await expect(resetPage).not.toHaveURL(/\/home$/);

  // Their browser is signed out and their client token refused.
  await expectSignedOut(intruder.page);
  expect((await request.get("/api/devices", { headers: bearer })).status()).toBe(401);

  // The owner: told what was undone, phone back, the intruder's client device and its keys gone.
  const undone = await waitForMail(ownerEmail, (mail) => mail.subject === "We undid changes to your Latchkey account");
  expect(undone.text).toContain(ownerPhone);
  expect(undone.text).toContain("Intruder phone");
  const signIn = new SignInPage(page);
  await signIn.goto();
  await signIn.withPassword(ownerEmail, password);
  await expect(page).toHaveURL(/\/home$/);
  await ownerPhoneSettings.open("phone");
  await expect(page.getByText(humanPhoneNumber(ownerPhone), { exact: true })).toBeVisible();
  const owner = await request.post("/api/auth/token", { data: { email: ownerEmail, password, deviceName: "Owner laptop" } });
  const ownerBearer = { authorization: `Bearer ${((await owner.json()) as { token: string }).token}` };
  expect((await request.get(`/api/keys/${client.userId}/${client.deviceId}`, { headers: ownerBearer })).status()).toBe(404);

  await intruder.context.close();
});

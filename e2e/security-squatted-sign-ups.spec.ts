import { expect, test } from "./fixtures";
import { endResendWait, waitForMail } from "./support/inbox";
import { newEmail, SignUpPage } from "./pages/auth";
import { accountWithPassword, EmailSettings, expectSignedIn, signInElsewhere } from "./pages/settings";

// Issue 22: two attacks on the sign-up of an address (ADR 0075).

test("one unconfirmed sign-up for the old address does not block the owner's undo link", async ({ page, browser }) => {
  const { email: ownerEmail, password } = await accountWithPassword(page, "squatvictim");

  // The intruder, who has the password, moves the account to their own address…
  const intruder = await signInElsewhere(browser, ownerEmail, password);
  const intruderEmail = newEmail("squatter");
  const settings = new EmailSettings(intruder.page);
  await settings.open("email");
  await settings.requestChange(intruderEmail);
  await settings.enterCode(await settings.codeMailedTo(intruderEmail));
  await settings.expectMessage(`Your email address is now ${intruderEmail}.`);

  // …then, signed out, starts a sign-up for the owner's old address and never confirms it.
  // (Past the 60 s wait after the owner's own sign-up code, as an attacker would simply wait.)
  const squat = await (await browser.newContext()).newPage();
  await squat.clock.install();
  await endResendWait(squat, ownerEmail);
  const signUp = new SignUpPage(squat);
  await signUp.goto();
  await signUp.withEmail(ownerEmail);
  await waitForMail(ownerEmail, (mail) => /\/verify-email\//.test(mail.text));

  // The owner's undo link still gives the address back.
  const mailbox = await (await browser.newContext()).newPage();
  const owner = new EmailSettings(mailbox);
  await owner.revert(await owner.revertLinkMailedTo(ownerEmail));
  await expect(mailbox.getByRole("status")).toContainText(`Your address ${ownerEmail} is back`);
});

test("a sign-up link someone else sends does not sign the reader into their account", async ({ page, browser }) => {
  const { email: victimEmail } = await accountWithPassword(page, "csrfvictim");

  const attacker = await (await browser.newContext()).newPage();
  const attackerEmail = newEmail("csrfattacker");
  const signUp = new SignUpPage(attacker);
  await signUp.goto();
  await signUp.withEmail(attackerEmail);
  const mail = await waitForMail(attackerEmail, (candidate) => /\/verify-email\//.test(candidate.text));
  const link = /(http\S+\/verify-email\/[\w-]+)/.exec(mail.text)![1]!;

  // The victim opens it while signed in: the page names the account and waits for a click.
  await page.goto(link);
  const confirm = page.getByRole("button", { name: `Confirm ${attackerEmail} and sign in` });
  await expect(confirm).toBeVisible();
  await expect(page.getByText("You will be signed out of the account you are using now.")).toBeVisible();
  await expectSignedIn(page);
  await page.goto("/settings/email");
  await expect(page.getByText(victimEmail, { exact: true })).toBeVisible();

  // The link was not used up: in the browser that signed up it confirms by itself.
  await attacker.goto(link);
  await expect(attacker).toHaveURL(/\/onboarding$/);
});

import type { APIRequestContext, Page, Route } from "@playwright/test";
import { expect, test } from "./fixtures";
import { createAccount, mailedCode, newEmail, newPhone, SignInPage, SignUpPage, VerifyPage } from "./pages/auth";
import { accountWithPassword, EmailSettings, PhoneSettings } from "./pages/settings";
import { codeFrom, endResendWait, waitForMail, waitForSms } from "./support/inbox";

// Issue 10, item 4: the step where a code is entered answers byte for byte alike whether or not
// someone is to receive a code at the address (an account already has it at sign-up, no account
// has it at reset, another account holds it at a change), wrong guess by wrong guess, through the
// exhausted code and the address's lock. Each test plays both sides through the production build
// and compares the server actions' raw answers. (The API: lib/api/code-step-alike.test.ts.)

const NEW_PASSWORD = "violet-harbor-lantern-7";

/** A guess that is not `code` (the code mailed to a side, when it got one). */
const wrongFor = (code?: string) => (code === "000000" ? "111111" : "000000");

/**
 * The raw answer of the server action that `submit` triggers, read as it passes through (the page
 * may navigate away before a finished response could be read). Masked: the address itself, which
 * the answer echoes; the remaining lock time, which counts down from when each address was locked;
 * and what differs per request whatever the address: the CSP nonce and Next's per-render keys.
 */
async function actionAnswer(page: Page, address: string, submit: () => Promise<unknown>): Promise<string> {
  let answered: (body: string) => void;
  const body = new Promise<string>((resolve) => (answered = resolve));
  const intercept = async (route: Route) => {
    const request = route.request();
    if (request.method() !== "POST" || !request.headers()["next-action"]) return route.fallback();
    const response = await route.fetch();
    const text = await response.text();
    await route.fulfill({ response });
    // The sign-in page also starts a passkey sign-in of its own accord (its answer is a WebAuthn
    // challenge), which may pass by first: only the submit's own answer counts.
    if (!text.includes('"challenge":')) answered(text);
  };
  await page.route("**/*", intercept);
  await submit();
  const text = await body;
  await page.unroute("**/*", intercept);
  return text
    .replaceAll(address, "<address>")
    .replaceAll(encodeURIComponent(address), "<address>")
    .replace(/"retryAfterSeconds":\d+/g, '"retryAfterSeconds":"…"')
    .replace(/"nonce":"[^"]*"/g, '"nonce":"…"')
    .replace(/"[A-Za-z0-9_-]{21}([vm])"/g, '"…$1"');
}

/** An address with a confirmed account, made the way a messaging client signs up (API code + token). */
async function confirmedAccount(request: APIRequestContext): Promise<string> {
  const email = newEmail("known");
  expect((await request.post("/api/auth/code", { data: { email } })).status()).toBe(202);
  const code = await mailedCode(email);
  expect((await request.post("/api/auth/token", { data: { email, code, deviceName: "Phone" } })).status()).toBe(201);
  return email;
}

/**
 * Wrong guesses on the verify page until the code is spent (five) or `times`: the answers in order.
 * A spent code disables the field there, so the page itself allows no sixth guess.
 */
async function guessWrong(page: Page, address: string, code?: string, times = 5): Promise<string[]> {
  const verify = new VerifyPage(page);
  const answers: string[] = [];
  for (let guess = 0; guess < times; guess += 1) answers.push(await actionAnswer(page, address, () => verify.enterCode(wrongFor(code))));
  return answers;
}

test("sign-up, its resend and code sign-in: a taken address answers like a free one, through the lock", async ({ browser, request }) => {
  test.setTimeout(180_000);
  const taken = await confirmedAccount(request);
  const free = newEmail("free");

  async function play(address: string, codeSent: boolean) {
    const page = await (await browser.newContext()).newPage();
    await page.clock.install();
    const signUp = new SignUpPage(page);
    await signUp.goto();
    const answers = [await actionAnswer(page, address, () => signUp.withEmail(address, "plum-kettle-orbit-94"))];
    const code = codeSent ? await mailedCode(address) : undefined;
    answers.push(...(await guessWrong(page, address, code)));
    await expect(page.getByRole("alert").first()).toContainText("that was the last attempt for it");
    await expect(new VerifyPage(page).codeInput).toBeDisabled();

    // "Send a new code" once its 60-second wait is over, then five more failures lock the address.
    await endResendWait(page, address);
    answers.push(await actionAnswer(page, address, () => new VerifyPage(page).resendButton.click()));
    const newCode = codeSent ? await mailedCode(address, code) : undefined;
    answers.push(...(await guessWrong(page, address, newCode)));
    await expect(page.getByRole("alert").first()).toContainText("Too many wrong codes");

    // A sign-in code does not lift the lock.
    const signIn = new SignInPage(page);
    await signIn.goto();
    answers.push(await actionAnswer(page, address, () => signIn.requestCode(address)));
    answers.push(await actionAnswer(page, address, () => new VerifyPage(page).enterCode("123456")));
    await page.context().close();
    return answers;
  }

  const [takenAnswers, freeAnswers] = await Promise.all([play(taken, false), play(free, true)]);
  expect(takenAnswers).toEqual(freeAnswers);
  expect(freeAnswers.at(-1)).toContain("Too many wrong codes");
});

test("code sign-in: an account's address answers like one without an account", async ({ browser }) => {
  test.setTimeout(180_000);
  // Made by sign-up, so no sign-in code's resend wait runs for it.
  const known = await createAccount(await (await browser.newContext()).newPage(), { label: "known" }).then((account) => account.email);
  const unknown = newEmail("unknown");

  async function play(address: string, previousCode?: string) {
    const page = await (await browser.newContext()).newPage();
    const signIn = new SignInPage(page);
    await signIn.goto();
    const answers = [await actionAnswer(page, address, () => signIn.requestCode(address))];
    answers.push(...(await guessWrong(page, address, await mailedCode(address, previousCode))));
    await page.context().close();
    return answers;
  }

  const knownAnswers = await play(known, await mailedCode(known));
  expect(knownAnswers).toEqual(await play(unknown));
  expect(knownAnswers.at(-1)).toContain("that was the last attempt for it");
});

test("password reset by code: an address without an account answers like an account's", async ({ page, request }) => {
  const known = await confirmedAccount(request);
  const knownSignInCode = await mailedCode(known);

  async function play(address: string, resetCode: () => Promise<string | undefined>) {
    await page.goto("/reset");
    const answers = [
      await actionAnswer(page, address, async () => {
        await page.getByLabel("Email address").fill(address);
        await page.getByRole("button", { name: "Send reset mail" }).click();
      }),
    ];
    await expect(page.getByText(`If ${address} has an account`)).toBeVisible();
    const code = await resetCode();
    for (let guess = 0; guess < 6; guess += 1) {
      answers.push(
        await actionAnswer(page, address, async () => {
          await page.getByLabel("6-digit code").fill(wrongFor(code));
          await page.getByLabel("New password", { exact: true }).fill(NEW_PASSWORD);
          await page.getByRole("button", { name: "Set new password" }).click();
        }),
      );
    }
    return answers;
  }

  const knownAnswers = await play(known, () => mailedCode(known, knownSignInCode));
  const unknown = newEmail("unknown");
  const unknownAnswers = await play(unknown, async () => {
    await waitForMail(unknown, (mail) => mail.subject === "Password reset requested");
    return undefined;
  });
  expect(knownAnswers).toEqual(unknownAnswers);
  expect(knownAnswers.at(-1)).toContain("Too many wrong guesses for this code");
});

test("email and phone change: an address or number another account holds answers like a free one", async ({ page, browser }) => {
  test.setTimeout(180_000);
  // The holder of the taken address and number.
  const holderPage = await (await browser.newContext()).newPage();
  const holder = await accountWithPassword(holderPage, "holder");
  const takenPhone = newPhone();
  const holderPhone = new PhoneSettings(holderPage);
  await holderPhone.open("phone");
  await holderPhone.requestChange(takenPhone);
  await holderPhone.enterCode(await holderPhone.codeTextedTo(takenPhone));
  await holderPhone.expectMessage(`Your phone number is now ${takenPhone}.`);

  await accountWithPassword(page, "changer");
  const email = new EmailSettings(page);
  const phone = new PhoneSettings(page);

  async function guesses(settings: EmailSettings | PhoneSettings, address: string, code?: string) {
    const answers: string[] = [];
    for (let guess = 0; guess < 6; guess += 1) answers.push(await actionAnswer(page, address, () => settings.enterCode(wrongFor(code))));
    return answers;
  }

  /** Opens a settings section, cancelling a change that still waits for its code. */
  async function openAfresh(settings: EmailSettings | PhoneSettings, section: "email" | "phone") {
    await settings.open(section);
    const cancel = page.getByRole("button", { name: /^Use a different (address|number)$/ });
    if (await cancel.isVisible()) await cancel.click();
  }

  async function changeEmailTo(address: string, codeSent: boolean) {
    await openAfresh(email, "email");
    await email.requestChange(address);
    return guesses(email, address, codeSent ? await email.codeMailedTo(address) : undefined);
  }
  const freeAddress = newEmail("free");
  const takenEmailAnswers = await changeEmailTo(holder.email, false);
  expect(takenEmailAnswers).toEqual(await changeEmailTo(freeAddress, true));
  expect(takenEmailAnswers.at(-1)).toContain("Too many wrong guesses for this code");

  async function changePhoneTo(number: string, codeSent: boolean) {
    await openAfresh(phone, "phone");
    await phone.requestChange(number);
    const code = codeSent ? codeFrom((await waitForSms(number)).body) : undefined;
    return guesses(phone, number, code);
  }
  const takenPhoneAnswers = await changePhoneTo(takenPhone, false);
  expect(takenPhoneAnswers).toEqual(await changePhoneTo(newPhone(), true));
  expect(takenPhoneAnswers.at(-1)).toContain("Too many wrong guesses for this code");
});

import { request as playwrightRequest, type Browser, type Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { waitForMail } from "./support/inbox";
import { e2eBaseUrl } from "./support/ports";
import { OnboardingPage, createAccount, newEmail } from "./pages/auth";
import { callbackFromProvider, continueWithProvider, signInAtProvider } from "./pages/provider";

// "Continue with …" (issue 24 §2, ADR 0083) through a real OpenID Connect provider (oidc-provider,
// started by e2e/support/server.ts): the authorization-code flow with PKCE, state and nonce.

/**
 * A browser of its own for each attempt: the provider remembers who signed in there, and would
 * send a second attempt straight back as the same person.
 */
async function atSignIn(browser: Browser): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto("/sign-in");
  return page;
}

async function expectRefused(page: Page, message: string) {
  await expect(page).toHaveURL(/\/sign-in\?/);
  await expect(page.getByRole("alert").filter({ hasText: message })).toBeVisible();
  await page.goto("/home");
  await expect(page).toHaveURL(/\/sign-in/);
}

test("a provider account whose verified address is new creates an account and meets the profile gate", async ({ page }) => {
  const email = newEmail("provider-new");
  await page.goto("/sign-up");
  await continueWithProvider(page, `newcomer:${email}`);
  await new OnboardingPage(page).expectShown();
  await waitForMail(email, (mail) => mail.subject === "Your Latchkey account was created with Test ID");
});

test("an existing account is refused until its owner links the provider; linked it signs in; unlinked it is refused again", async ({ page, browser }) => {
  // Four round trips through the provider, each in a new browser: longer than one journey's two minutes on a busy machine.
  test.setTimeout(240_000);
  const { email } = await createAccount(page, { label: "provider_owner" });
  const refused = await atSignIn(browser);
  await continueWithProvider(refused, `owner:${email}`);
  await expectRefused(refused, "Sign in to your account first, then link Test ID in settings.");

  // The owner, just signed in (a recent "Confirm it's you"), links the provider from settings.
  await page.goto("/settings/sign-in-methods");
  await page.getByRole("button", { name: "Link Test ID" }).click();
  await signInAtProvider(page, `owner:${email}`);
  await expect(page.getByRole("status").filter({ hasText: "Test ID is linked" })).toBeVisible();
  await expect(page.getByTestId("linked-providers")).toContainText("Test ID");
  await waitForMail(email, (mail) => mail.subject === "Test ID sign-in was linked to your Latchkey account");

  const linked = await atSignIn(browser);
  await continueWithProvider(linked, `owner:${email}`);
  await expect(linked).toHaveURL(/\/home$/);

  await page.getByRole("button", { name: "Unlink Test ID" }).click();
  await page.getByRole("button", { name: "Yes, unlink Test ID" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Unlinked" })).toBeVisible();
  const unlinked = await atSignIn(browser);
  await continueWithProvider(unlinked, `owner:${email}`);
  await expectRefused(unlinked, "Sign in to your account first, then link Test ID in settings.");
});

test("an attacker's claim of the victim's address never lands in an account: unverified before the sign-up, verified or not after", async ({ page, browser }) => {
  const label = "provider_victim";
  const victim = newEmail(label);
  const before = await atSignIn(browser);
  await continueWithProvider(before, `unverified-attacker:${victim}`);
  await expectRefused(before, "Test ID did not confirm your email address");
  // The victim signs up as usual: a code (createAccount waits for it), not an "already registered" mail.
  await createAccount(page, { label, email: victim });
  for (const [login, message] of [
    [`attacker:${victim}`, "Sign in to your account first, then link Test ID in settings."],
    [`unverified-attacker:${victim}`, "Test ID did not confirm your email address"],
  ] as const) {
    const attacker = await atSignIn(browser);
    await continueWithProvider(attacker, login);
    await expectRefused(attacker, message);
  }
});

test.describe("the callback's checks, without a browser", () => {
  // Answers of the callback that sign nobody in: next-auth's error page (which shows sign-in with
  // the error), and no session or ticket cookie.
  const expectNoSignIn = (response: { status(): number; headers(): Record<string, string> }) => {
    expect(response.status()).toBe(302);
    expect(response.headers().location).toMatch(/\/api\/auth\/error\?error=OAuthCallback$/);
    expect(response.headers()["set-cookie"] ?? "").not.toMatch(/session-token|latchkey_ticket/);
  };

  test("a tampered state, a replayed code and a code issued to another client are refused", async () => {
    const api = await playwrightRequest.newContext({ baseURL: e2eBaseUrl });

    const tampered = new URL(await callbackFromProvider(api, `tamper:${newEmail("provider-tamper")}`));
    tampered.searchParams.set("state", `${tampered.searchParams.get("state")}x`);
    expectNoSignIn(await api.get(tampered.toString(), { maxRedirects: 0 }));

    // The same callback twice, the second time with the first one's state, PKCE and nonce cookies.
    const callback = await callbackFromProvider(api, `replay:${newEmail("provider-replay")}`);
    const checks = await api.storageState();
    const first = await api.get(callback, { maxRedirects: 0 });
    expect(first.headers().location).toMatch(/\/sign-in\/continue\?to=%2Fonboarding$/);
    const replay = await playwrightRequest.newContext({ baseURL: e2eBaseUrl, storageState: checks });
    expectNoSignIn(await replay.get(callback, { maxRedirects: 0 }));

    // Another app at the same provider got a code for this callback: Latchkey cannot redeem it.
    const foreign = await callbackFromProvider(api, `foreign:${newEmail("provider-foreign")}`, (authorize) => authorize.searchParams.set("client_id", "another-app"));
    expectNoSignIn(await api.get(foreign, { maxRedirects: 0 }));

    await replay.dispose();
    await api.dispose();
  });
});

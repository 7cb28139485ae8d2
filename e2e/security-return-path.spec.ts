import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { createAccount, mailedCode, SignInPage, signOut, VerifyPage } from "./pages/auth";
import { accountWithPassword, PASSWORD, PasskeySettings } from "./pages/settings";
import { forgetCodeSends } from "./support/inbox";

// Issue 22, item 3, in Chromium: a sign-in link carrying a hostile `next` must leave the person on
// this site after every way of signing in. The server's redirect for a signed-in visitor is
// test/system/headers.test.ts; the spellings one by one are lib/auth/return-path.test.ts. Here the
// browser does what it does to each spelling (resolves dot segments, strips tabs, reads backslashes
// as slashes) before the page's own check, after a real sign-in.

/** The value of `next` as the app receives it (the link carries it percent-encoded once more). */
const HOSTILE_NEXT = [
  "/.//evil.example",
  "/a/..//evil.example",
  "/%2e%2e//evil.example",
  "/%2F%2Fevil.example",
  "/\\evil.example",
  "/%5C%5Cevil.example",
  "/\t/evil.example",
  "/%0A/evil.example",
  "/%252F%252Fevil.example",
  "https://evil.example/",
  "//evil.example",
  "javascript:alert(document.domain)",
];

/**
 * The page decides where to go after any sign-in with the same check, so the other methods each try
 * one spelling of every kind (dot segments, backslash, scheme) rather than the whole table again: a
 * full sign-in per spelling made each journey minutes long.
 */
const ONE_OF_EACH_KIND = ["/a/..//evil.example", "/\\evil.example", "javascript:alert(document.domain)"];

/**
 * Records every request that leaves this origin and every dialog (a `javascript:` URL that ran);
 * requests to evil.example are refused at once, so a failure shows here instead of as a DNS wait.
 */
async function watchForEscape(page: Page) {
  const escaped: string[] = [];
  const origin = new URL(test.info().project.use.baseURL!).origin;
  await page.context().route((url) => url.hostname.endsWith("evil.example"), (route) => route.abort());
  page.on("request", (request) => {
    if (!request.url().startsWith(origin) && !request.url().startsWith("data:")) escaped.push(request.url());
  });
  page.on("dialog", (dialog) => {
    escaped.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  return {
    /** Signs in by `signIn` from a link carrying `next`, and checks where the browser ended. */
    async check(next: string, signIn: () => Promise<void>) {
      await page.goto(`/sign-in?next=${encodeURIComponent(next)}`);
      await signIn();
      await expect(page, JSON.stringify(next)).toHaveURL(`${origin}/home`);
      expect(escaped, JSON.stringify(next)).toEqual([]);
    },
  };
}

test("hostile return paths after a password sign-in", async ({ page }) => {
  const { email } = await accountWithPassword(page, "nextpassword");
  const journey = await watchForEscape(page);
  const signIn = new SignInPage(page);
  for (const next of HOSTILE_NEXT) {
    await signOut(page);
    await journey.check(next, () => signIn.withPassword(email, PASSWORD));
  }
});

test("hostile return paths after an email code sign-in", async ({ page }) => {
  const { email } = await createAccount(page, { label: "nextcode" });
  const journey = await watchForEscape(page);
  const signIn = new SignInPage(page);
  let lastCode = await mailedCode(email);
  for (const next of ONE_OF_EACH_KIND) {
    await signOut(page);
    await forgetCodeSends(email);
    await journey.check(next, async () => {
      await signIn.requestCode(email);
      lastCode = await mailedCode(email, lastCode);
      await new VerifyPage(page).enterCode(lastCode);
    });
  }
});

test("hostile return paths after a passkey sign-in", async ({ page }) => {
  await createAccount(page, { label: "nextpasskey" });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  const passkeys = new PasskeySettings(page);
  await passkeys.open("passkeys");
  await passkeys.add();
  await passkeys.expectMessage(/Passkey added/);
  const journey = await watchForEscape(page);
  const signIn = new SignInPage(page);
  for (const next of ONE_OF_EACH_KIND) {
    // The authenticator stays silent while the sign-in page loads: else the page's background
    // (autofill) request signs in before the button is pressed.
    await cdp.send("WebAuthn.setAutomaticPresenceSimulation", { authenticatorId, enabled: false });
    await signOut(page);
    await journey.check(next, async () => {
      await cdp.send("WebAuthn.setAutomaticPresenceSimulation", { authenticatorId, enabled: true });
      await signIn.withPasskey();
    });
  }
});

import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { signUpAdmin } from "./pages/admin";
import { accountWithPassword, PASSWORD, PasskeySettings, SettingsPage } from "./pages/settings";
import { waitForMail } from "./support/inbox";

// Issue 22, "also wanted": text a person writes (names, a passkey's or a device's name, a client's
// User-Agent, an admin's search) is shown on their own pages, to admins and in mails. Each field
// gets markup that would run script if it were ever parsed as HTML, unbroken text as long as the
// field allows, and the values the name rules refuse (bidi overrides, invisible characters, line
// breaks, 10 kB); every page that shows them is then read under the CSP at 360 px.

const PWN = "window.__pwned=1";
const pad = (text: string, length: number) => text + "W".repeat(length - text.length);
/** Hostile and as long as each field allows, with no space to break at. */
const DISPLAY_NAME = pad(`<img/src=x/onerror=${PWN}>`, 50);
const FULL_NAME = pad(`<script>${PWN}</script>javascript:${PWN}`, 100);
const STATE = `\u202Eexe.gnp <b onclick="${PWN}">x</b>`;
const ZIP = `<i>z</i>`;
const PASSKEY_NAME = pad(`<script>${PWN}</script>`, 64);
const DEVICE_NAME = pad(`<svg/onload=${PWN}>`, 64);
/** Sent as the client's User-Agent: the server keeps its first 512 characters and shows them to admins. */
const USER_AGENT = pad(`<script>${PWN}</script>`, 10_000);
const SEARCH = `<script>${PWN}</script>`;
const REFUSED_NAMES = {
  "a right-to-left override": "\u202Eexe.gnp",
  "a zero-width space": "pay\u200Bpal",
  "a line break": "Phone\r\nBcc: someone@evil.example",
  "10 kB": "W".repeat(10_000),
};

const NAME_RULE = /no line breaks, invisible or text-direction characters/;

/**
 * Watches `page` for script the stored text could start: a dialog, the `__pwned` marker, an element
 * built from the markup. CSP violations fail the test through ./fixtures.
 */
function guard(page: Page) {
  const dialogs: string[] = [];
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  return async (path: string, shows: string[]) => {
    await page.goto(path);
    for (const text of shows) await expect(page.getByText(text, { exact: false }).first(), `${path} shows ${text.slice(0, 30)}…`).toBeAttached();
    const found = await page.evaluate(() => ({
      pwned: (window as { __pwned?: unknown }).__pwned,
      elements: document.querySelectorAll("[onerror], [onload], [onclick], img[src='x'], main script, main svg[onload], b, i").length,
      // The page's own data for React (self.__next_f) holds the names as JSON strings: any other
      // script that mentions the marker was made from the markup.
      scripts: [...document.scripts].filter((script) => script.text.includes("__pwned") && !script.text.startsWith("self.__next_f")).length,
      scrollWidth: document.documentElement.scrollWidth,
    }));
    expect(found, path).toEqual({ pwned: undefined, elements: 0, scripts: 0, scrollWidth: expect.any(Number) });
    expect.soft(found.scrollWidth, `${path} is wider than the 360 px screen`).toBeLessThanOrEqual(360);
    expect(dialogs, path).toEqual([]);
  };
}

test("hostile names stay text on the person's pages, the admin's and in mail, and the refused ones are refused", async ({ page, browser, request }) => {
  await page.setViewportSize({ width: 360, height: 800 });
  const { email } = await accountWithPassword(page, "hostile");
  const settings = new SettingsPage(page);

  // The profile: each refused value is named beside its field, then the hostile values are saved.
  await settings.open("profile");
  const profile = page.getByRole("form", { name: "Your profile" });
  const save = profile.getByRole("button", { name: "Save changes" });
  await profile.getByLabel("Display name").fill(REFUSED_NAMES["a right-to-left override"]);
  await profile.getByLabel("Full name (optional)").fill(REFUSED_NAMES["10 kB"]);
  await profile.getByLabel("Username").fill("<b>x</b>");
  await save.click();
  await expect(profile.getByText(NAME_RULE)).toBeVisible();
  await expect(profile.getByText("Your full name has at most 100 characters.")).toBeVisible();
  await expect(profile.getByText("Use only letters, digits and underscores.")).toBeVisible();
  // (A text field drops line breaks as they are typed: those are refused through the API below.)
  await page.reload();
  await profile.getByLabel("Display name").fill(REFUSED_NAMES["a zero-width space"]);
  await save.click();
  await expect(profile.getByText(NAME_RULE)).toBeVisible();
  await page.reload();
  await profile.getByLabel("Display name").fill(DISPLAY_NAME);
  await profile.getByLabel("Full name (optional)").fill(FULL_NAME);
  await profile.getByLabel("State or region (optional)").fill(STATE);
  await profile.getByLabel("Postal code (optional)").fill(ZIP);
  await save.click();
  await settings.expectMessage("Your profile was saved.");

  // A passkey (Chromium's virtual authenticator), renamed: first to a refused name, then a hostile one.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  const passkeys = new PasskeySettings(page);
  await passkeys.open("passkeys");
  await passkeys.add();
  await passkeys.expectMessage(/Passkey added/);
  await passkeys.rename(passkeys.passkeys.first(), REFUSED_NAMES["a zero-width space"]);
  await expect(page.getByText(NAME_RULE)).toBeVisible();
  await page.reload();
  await passkeys.rename(passkeys.passkeys.first(), PASSKEY_NAME);
  await expect(passkeys.passkeys.first()).toContainText(PASSKEY_NAME);

  // A messaging client's device, through the API: the refused names are a 400 and store nothing.
  const signInClient = (deviceName: string) =>
    request.post("/api/auth/token", { data: { email, password: PASSWORD, deviceName }, headers: { "user-agent": USER_AGENT } });
  for (const [what, deviceName] of Object.entries(REFUSED_NAMES)) {
    const refused = await signInClient(deviceName);
    expect(refused.status(), what).toBe(400);
    expect((await refused.json()).error.code, what).toBe("invalid_request");
  }
  expect((await signInClient(DEVICE_NAME)).status()).toBe(201);

  // The new-device mail names the device as text: escaped in HTML, one line in the text part.
  const notice = await waitForMail(email, (mail) => mail.subject === "New sign-in to your Latchkey account");
  expect(notice.html).not.toContain("<svg");
  expect(notice.html).toContain("&lt;svg/onload=window.__pwned=1&gt;");
  expect(notice.text.split("\n").filter((line) => line.includes("<svg"))).toEqual([`Your account was just signed in on ${DEVICE_NAME} (IP address 127.0.0.1).`]);

  const visit = guard(page);
  await visit("/home", [DISPLAY_NAME]);
  await visit("/settings/profile", []);
  await expect(page.getByLabel("Full name (optional)")).toHaveValue(FULL_NAME);
  await visit("/settings/devices", [DEVICE_NAME]);
  await visit("/settings/passkeys", [PASSKEY_NAME]);
  await visit("/settings/security", []);

  // The admin reads every one of them, and searches with markup of their own.
  const adminContext = await browser.newContext({ viewport: { width: 360, height: 800 } });
  const admin = await adminContext.newPage();
  await signUpAdmin(admin, "hostile-admin@e2e.test");
  const adminVisit = guard(admin);
  await adminVisit("/admin", []);
  await adminVisit(`/admin/users?q=${encodeURIComponent(SEARCH)}`, []);
  await expect(admin.getByLabel("Email, phone, username or id")).toHaveValue(SEARCH);
  await adminVisit(`/admin/users?q=${encodeURIComponent(email)}`, [email]);
  await admin.getByRole("link", { name: email }).click();
  await expect(admin.getByRole("heading", { level: 1 })).toHaveText(email);
  await adminVisit(admin.url(), [DISPLAY_NAME, FULL_NAME, STATE, DEVICE_NAME, USER_AGENT.slice(0, 512)]);
  await expect(admin.getByRole("button", { name: `Revoke ${DEVICE_NAME}` })).toBeVisible();
  expect(await admin.getByText(USER_AGENT.slice(0, 513)).count(), "the User-Agent is cut at 512 characters").toBe(0);
  await adminVisit("/admin/audit", [SEARCH]);
  await adminContext.close();
});

import type { APIRequestContext } from "@playwright/test";
import { expect, test } from "./fixtures";
import { newPhone } from "./pages/auth";
import { accountWithPassword, checkSettingsPage, PhoneSettings, PrivacySettings } from "./pages/settings";

// Issue 13: the two privacy switches decide what messaging clients are told when they look the
// person up by username or by phone number.

async function bearerFor(request: APIRequestContext, email: string, password: string) {
  const issued = await request.post("/api/auth/token", { data: { email, password, deviceName: "Lookup client" } });
  expect(issued.status()).toBe(201);
  return { authorization: `Bearer ${((await issued.json()) as { token: string }).token}` };
}

test.setTimeout(300_000); // an account, a phone change and two saves: slow on a busy machine

test("privacy switches: username discovery on and phone discovery off by default; toggling them changes what the API answers", async ({ page, request }) => {
  const { email, username, password } = await accountWithPassword(page, "privacy");
  const phone = newPhone();
  const phoneSettings = new PhoneSettings(page);
  await phoneSettings.open("phone");
  await phoneSettings.requestChange(phone);
  await phoneSettings.enterCode(await phoneSettings.codeTextedTo(phone));
  await phoneSettings.expectMessage(`Your phone number is now ${phone}.`);

  const headers = await bearerFor(request, email, password);
  const byUsername = () => request.get(`/api/users/by-username/${username.toUpperCase()}`, { headers });
  const byPhone = async () => {
    const answer = await request.post("/api/users/lookup", { headers, data: { phoneNumbers: [phone] } });
    expect(answer.status()).toBe(200);
    return ((await answer.json()) as { matches: { phoneNumber: string }[] }).matches.map((match) => match.phoneNumber);
  };
  const found = await byUsername();
  expect(found.status()).toBe(200);
  const { userId } = (await found.json()) as { userId: string };
  expect(await byPhone()).toEqual([]);

  const settings = new PrivacySettings(page);
  await settings.open("privacy");
  await expect(page.getByRole("link", { name: "Privacy" })).toHaveAttribute("aria-current", "page");
  await expect(settings.byUsername()).toBeChecked();
  await expect(settings.byPhone()).not.toBeChecked();
  await checkSettingsPage(page, "settings-privacy");

  await settings.toggleBothByKeyboard();
  expect((await byUsername()).status()).toBe(404);
  expect(await byPhone()).toEqual([phone]);

  await page.reload();
  await expect(settings.byUsername()).not.toBeChecked();
  await expect(settings.byPhone()).toBeChecked();

  await settings.toggleBothByKeyboard();
  expect(await (await byUsername()).json()).toEqual({ userId });
  expect(await byPhone()).toEqual([]);

  await page.goto("/settings/security");
  await expect(page.getByText("Who can find you changed").first()).toBeVisible();
});

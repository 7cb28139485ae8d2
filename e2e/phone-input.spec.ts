import { expect, test } from "./fixtures";
import { checkPage } from "./pages/checks";
import { newPhone, SignUpPage, textedCode } from "./pages/auth";

test.use({ locale: "en-GB" });

async function openPhoneSignUp(page: import("@playwright/test").Page) {
  await new SignUpPage(page).goto();
  await page.getByRole("button", { name: "Phone" }).click();
  return { country: page.getByLabel("Country"), number: page.getByLabel("Phone number") };
}

test("the country defaults from the browser's locale and the number is formatted as it is typed", async ({ page }) => {
  const { country, number } = await openPhoneSignUp(page);
  await expect(country).toHaveValue("GB");
  await number.pressSequentially("07911123456");
  await expect(number).toHaveValue("07911 123456");
  await checkPage(page, "phone-input");

  // Erasing the bracket the formatter added erases the digit before it, instead of the bracket coming back.
  await country.selectOption("US");
  await number.fill("");
  await number.pressSequentially("415");
  await expect(number).toHaveValue("(415)");
  await number.press("Backspace");
  await expect(number).toHaveValue(/^\(?41$/);
});

test("a pasted international number switches the country, and the form sends it in E.164", async ({ page }) => {
  const { country, number } = await openPhoneSignUp(page);
  const phone = newPhone();
  await number.fill(`${phone.slice(0, 2)} ${phone.slice(2, 5)} ${phone.slice(5, 8)} ${phone.slice(8)}`);
  await expect(country).toHaveValue("US");
  await expect(number).toHaveValue(`(415) 555-${phone.slice(-4)}`);

  await page.getByRole("button", { name: "Text me a code" }).click();
  await expect(page).toHaveURL(/\/verify\?/, { timeout: 30_000 });
  // The code reaches the number in E.164, as the server action's schema expects it.
  expect(await textedCode(phone)).toMatch(/^\d{6}$/);
});

test("picking a country formats the number for it; an impossible number gets the field error and focus", async ({ page }) => {
  const { country, number } = await openPhoneSignUp(page);
  await number.fill("4150123456");
  await country.selectOption("US");
  await expect(number).toHaveValue("(415) 012-3456");
  await page.getByRole("button", { name: "Text me a code" }).click();
  await expect(page.getByText(/not a valid phone number/)).toBeVisible();
  await expect(number).toBeFocused();
  await expect(number).toHaveAttribute("aria-invalid", "true");
  await checkPage(page, "phone-input-error");
});

test("a number of a plausible length in no allocated range is refused by the server beside the field", async ({ page }) => {
  const { country, number } = await openPhoneSignUp(page);
  // Ten digits after a German 0151 prefix: the browser's min metadata lets it through, the
  // server's full metadata knows that range has eleven.
  await number.fill("+49 151 2345678");
  await expect(country).toHaveValue("DE");
  await page.getByRole("button", { name: "Text me a code" }).click();
  await expect(page.getByText(/not a valid phone number/)).toBeVisible({ timeout: 30_000 });
  await expect(page).toHaveURL(/\/sign-up/);
});

import { type APIRequestContext, type Page } from "@playwright/test";
import { e2eBaseUrl } from "../support/ports";

// "Continue with Test ID": the real authorization-code flow through the test OpenID Connect
// provider (test/oidc-provider.ts). Its development pages ask for any login and password, then
// for consent; the login `<person>:<email>` is the subject and the email claim.

/** In the browser: the button, the provider's login (and consent, when it asks), back to Latchkey. */
export async function continueWithProvider(page: Page, login: string) {
  await page.getByRole("button", { name: "Continue with Test ID" }).click();
  await signInAtProvider(page, login);
}

/** At the provider's pages, after Latchkey sent the browser there. */
export async function signInAtProvider(page: Page, login: string) {
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill("any password");
  const loginPage = page.url();
  await page.getByRole("button", { name: "Sign-in" }).click();
  await page.waitForURL((url) => url.toString() !== loginPage);
  // A first grant to Latchkey asks for consent; a repeated one goes straight back.
  if (new URL(page.url()).origin !== e2eBaseUrl) await page.getByRole("button", { name: "Continue" }).click();
  await page.waitForURL((url) => url.origin === e2eBaseUrl);
}

const CALLBACK = `${e2eBaseUrl}/api/auth/callback/testid`;

/**
 * Without a browser: starts "Continue with Test ID" at Latchkey (the state, PKCE and nonce cookies
 * land in `api`'s jar), signs in at the provider as `login` and returns the callback URL the
 * provider sent back, with its code and state, not yet opened. `tamper` edits the authorization
 * request before it reaches the provider.
 */
export async function callbackFromProvider(api: APIRequestContext, login: string, tamper: (authorize: URL) => void = () => undefined) {
  const { csrfToken } = (await (await api.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const started = await api.post("/api/auth/signin/testid", { form: { csrfToken, callbackUrl: "/home", json: "true" } });
  const authorize = new URL(((await started.json()) as { url: string }).url);
  tamper(authorize);
  let next = authorize.toString();
  for (let step = 0; step < 10; step += 1) {
    if (next.startsWith(CALLBACK)) return next;
    const response = await api.get(next, { maxRedirects: 0 });
    const location = response.headers().location;
    if (location) {
      next = new URL(location, next).toString();
      continue;
    }
    // A login or consent page: submit its form as a person would.
    const html = await response.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    const prompt = /name="prompt" value="(\w+)"/.exec(html)?.[1];
    if (!action || !prompt) throw new Error(`unexpected provider page: ${html.slice(0, 300)}`);
    const submitted = await api.post(new URL(action, next).toString(), { form: { prompt, login, password: "any password" }, maxRedirects: 0 });
    next = new URL(submitted.headers().location!, next).toString();
  }
  throw new Error("the provider never sent the browser back");
}

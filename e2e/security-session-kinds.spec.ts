import type { Browser, BrowserContext, Request } from "@playwright/test";
import { expect, test } from "./fixtures";
import { e2eBaseUrl } from "./support/ports";
import { mailedCode, newEmail, SignInPage } from "./pages/auth";
import { accountWithPassword, PASSWORD } from "./pages/settings";

// Issue 10, item 3: a browser's sign-in ticket and a messaging client's bearer token are different
// kinds of secret; neither may stand in for the other, and a ticket works once.

const TICKET_CALLBACK = "/api/auth/callback/ticket";

/** The ticket the browser hands to next-auth, wherever it travels (form body or cookie). */
async function ticketIn(sent: Request, context: BrowserContext): Promise<string | null> {
  const fromBody = new URLSearchParams(sent.postData() ?? "").get("ticket");
  if (fromBody) return fromBody;
  const cookies = await context.cookies(sent.url());
  return cookies.find((cookie) => cookie.name === "latchkey_ticket")?.value ?? null;
}

/** Presents `ticket` to next-auth's ticket provider from a fresh browser; true when it signs in. */
async function redeemsAsTicket(browser: Browser, ticket: string): Promise<boolean> {
  const context = await browser.newContext();
  await context.addCookies([{ name: "latchkey_ticket", value: ticket, url: `${e2eBaseUrl}/api/auth/callback/ticket` }]);
  const { csrfToken } = (await (await context.request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  await context.request.post("/api/auth/callback/ticket", { form: { csrfToken, ticket, json: "true" } });
  const session = (await (await context.request.get("/api/auth/session")).json()) as { user?: unknown };
  await context.close();
  return Boolean(session.user);
}

test("a browser's sign-in ticket is refused as a bearer token, never reaches page scripts, and works once", async ({ page, browser, request }) => {
  const { email } = await accountWithPassword(page, "ticket");
  await page.context().clearCookies();

  const tickets: string[] = [];
  const actionResults: string[] = [];
  await page.route("**/*", async (route) => {
    const sent = route.request();
    if (sent.url().includes(TICKET_CALLBACK)) {
      const ticket = await ticketIn(sent, page.context());
      if (ticket) tickets.push(ticket);
    }
    if (sent.method() !== "POST" || !(await sent.headerValue("next-action"))) return route.fallback();
    const response = await route.fetch();
    actionResults.push(await response.text());
    await route.fulfill({ response });
  });
  const signIn = new SignInPage(page);
  await signIn.goto();
  await signIn.withPassword(email, PASSWORD);
  await expect(page).toHaveURL(/\/home$/);
  expect(tickets).toHaveLength(1);
  const ticket = tickets[0]!;

  // The API refuses it: it is not a client's token.
  const api = await request.get("/api/devices", { headers: { authorization: `Bearer ${ticket}` } });
  expect(api.status()).toBe(401);
  // Page scripts never saw it: no server action answered with it.
  expect(actionResults.join("\n")).not.toContain(ticket);
  // Redeemed once already: it signs no other browser in.
  expect(await redeemsAsTicket(browser, ticket)).toBe(false);
});

test("a messaging client's bearer token cannot be redeemed as a browser sign-in ticket", async ({ browser, request }) => {
  const email = newEmail("clienttoken");
  expect((await request.post("/api/auth/code", { data: { email } })).status()).toBe(202);
  const issued = await request.post("/api/auth/token", { data: { email, code: await mailedCode(email), deviceName: "Test client" } });
  expect(issued.status()).toBe(201);
  const { token } = (await issued.json()) as { token: string };

  expect(await redeemsAsTicket(browser, token)).toBe(false);
  // The token itself still works where it belongs.
  expect((await request.get("/api/devices", { headers: { authorization: `Bearer ${token}` } })).status()).toBe(200);
});

import type { Page } from "@playwright/test";
import { captureUrl } from "./ports";

export type CapturedMail = { to: string[]; from: string; subject: string; text: string; html: string };
export type CapturedSms = { to: string; from: string; body: string };

async function waitFor<T>(path: string, pick: (items: T[]) => T | undefined, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const response = await fetch(`${captureUrl}${path}`);
    const found = pick((await response.json()) as T[]);
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${what} did not arrive within ${timeoutMs} ms`);
}

/** The newest mail to `address` matching `predicate`, as the SMTP capture received it. */
export function waitForMail(address: string, predicate: (mail: CapturedMail) => boolean = () => true) {
  return waitFor<CapturedMail>(
    `/mail?to=${encodeURIComponent(address)}`,
    (mails) => mails.filter(predicate).at(-1),
    `mail to ${address}`,
  );
}

/** The newest SMS to `phone` (E.164) matching `predicate`. */
export function waitForSms(phone: string, predicate: (sms: CapturedSms) => boolean = () => true) {
  return waitFor<CapturedSms>(`/sms?to=${encodeURIComponent(phone)}`, (messages) => messages.filter(predicate).at(-1), `SMS to ${phone}`);
}

/** Counts what has arrived so far, so a test can wait for the next message after an action. */
export async function countMail(address: string): Promise<number> {
  const response = await fetch(`${captureUrl}/mail?to=${encodeURIComponent(address)}`);
  return ((await response.json()) as CapturedMail[]).length;
}

export function codeFrom(text: string): string {
  const match = /\b(\d{6})\b/.exec(text);
  if (!match) throw new Error(`no 6-digit code in: ${text.slice(0, 200)}`);
  return match[1]!;
}

/** Fills the run's database with the demo accounts of `npm run db:seed-demo` (once). */
export async function seedDemoData(): Promise<void> {
  const response = await fetch(`${captureUrl}/seed-demo`, { method: "POST" });
  if (!response.ok) throw new Error(`seeding demo data failed: ${await response.text()}`);
}

/** Makes every session of the account at `email` look signed in 30 minutes ago (so "Confirm it's you" is asked). */
export async function ageSignIns(email: string): Promise<void> {
  const response = await fetch(`${captureUrl}/age-sign-ins?email=${encodeURIComponent(email)}`, { method: "POST" });
  if (!response.ok || ((await response.json()) as { count: number }).count === 0) throw new Error(`no session of ${email} to age`);
}

/**
 * The 60 s wait before another code, passed without waiting it out: the server's record of the
 * last send to `destination` and the page's clock both move 61 s on. The page must have installed
 * Playwright's clock (page.clock.install()) before it loaded.
 */
export async function endResendWait(page: Page, destination: string): Promise<void> {
  const response = await fetch(`${captureUrl}/end-resend-wait?to=${encodeURIComponent(destination.toLowerCase())}`, { method: "POST" });
  if (!response.ok || ((await response.json()) as { count: number }).count === 0) throw new Error(`no code was sent to ${destination}`);
  await page.clock.fastForward(61_000);
}

/** Lets `destination` be sent codes again at once: its send records move an hour into the past. */
export async function forgetCodeSends(destination: string): Promise<void> {
  const response = await fetch(`${captureUrl}/forget-code-sends?to=${encodeURIComponent(destination.toLowerCase())}`, { method: "POST" });
  if (!response.ok || ((await response.json()) as { count: number }).count === 0) throw new Error(`no code was sent to ${destination}`);
}

/** The sessions the account at `email` gained since `since` (Date.now() before the sign-in), and its devices. */
export async function signInsSince(email: string, since: number): Promise<{ sessions: number; devices: number }> {
  const response = await fetch(`${captureUrl}/sign-ins?email=${encodeURIComponent(email)}&since=${since}`, { method: "POST" });
  if (!response.ok) throw new Error(`counting sign-ins failed: ${await response.text()}`);
  return (await response.json()) as { sessions: number; devices: number };
}

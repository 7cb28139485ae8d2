import "server-only";
import { cookies } from "next/headers";
import { success, type ActionResult } from "@/lib/actions";
import type { BrowserSignIn } from "@/lib/accounts/browser-sign-in";
import { servedOverHttps } from "@/lib/env";
import { randomToken } from "@/lib/crypto";
import { SIGN_IN_TICKET_COOKIE } from "@/lib/auth/next-auth";

// A random value that names this browser's Device, so the next sign-in here reuses it instead of
// listing a new device. Only its SHA-256 is stored. Over https it is a __Host- cookie (Secure, this
// host only, path /), like next-auth's own (ADR 0025).
const deviceCookieName = () => (servedOverHttps() ? "__Host-latchkey_device" : "latchkey_device");
const ONE_YEAR_SECONDS = 365 * 86_400;

export async function currentBrowserKey(): Promise<string | undefined> {
  return (await cookies()).get(deviceCookieName())?.value;
}

function deviceCookieOptions() {
  return { httpOnly: true, sameSite: "lax", secure: servedOverHttps(), path: "/", maxAge: ONE_YEAR_SECONDS } as const;
}

/**
 * This browser's device-cookie value, set now if it has none: a sign-up remembers which browser
 * chose its password, so only that browser's confirmation keeps it (ADR 0016).
 */
export async function ensureBrowserKey(): Promise<string> {
  const existing = await currentBrowserKey();
  if (existing) return existing;
  const browserKey = randomToken();
  (await cookies()).set(deviceCookieName(), browserKey, deviceCookieOptions());
  return browserKey;
}

/** Where the browser goes once next-auth has redeemed the ticket. */
export type SignedIn = { destination: string };

/**
 * Remembers the browser's device and gives it its single-use sign-in ticket in an httpOnly cookie
 * for next-auth's ticket callback: the action's result, which page scripts read, never carries it.
 */
export async function finishBrowserSignIn(signIn: BrowserSignIn): Promise<ActionResult<SignedIn>> {
  const jar = await cookies();
  const deviceCookie = deviceCookieOptions();
  jar.set(deviceCookieName(), signIn.browserKey, deviceCookie);
  jar.set(SIGN_IN_TICKET_COOKIE.name, signIn.ticket, {
    httpOnly: true,
    sameSite: "strict",
    secure: deviceCookie.secure,
    path: SIGN_IN_TICKET_COOKIE.path,
    maxAge: SIGN_IN_TICKET_COOKIE.maxAgeSeconds,
  });
  return success({ destination: signIn.destination });
}

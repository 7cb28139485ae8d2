import "server-only";
import { cookies } from "next/headers";
import { success, type ActionResult } from "@/lib/actions";
import type { BrowserSignIn } from "@/lib/accounts/browser-sign-in";
import { servedOverHttps } from "@/lib/env";

// A random value that names this browser's Device, so the next sign-in here reuses it instead of
// listing a new device. Only its SHA-256 is stored. Over https it is a __Host- cookie (Secure, this
// host only, path /), like next-auth's own (ADR 0025).
const deviceCookieName = () => (servedOverHttps() ? "__Host-latchkey_device" : "latchkey_device");
const ONE_YEAR_SECONDS = 365 * 86_400;

export async function currentBrowserKey(): Promise<string | undefined> {
  return (await cookies()).get(deviceCookieName())?.value;
}

export type SignInTicket = { ticket: string; destination: string };

/** Remembers the browser's device and hands the page its single-use sign-in ticket. */
export async function finishBrowserSignIn(signIn: BrowserSignIn): Promise<ActionResult<SignInTicket>> {
  (await cookies()).set(deviceCookieName(), signIn.browserKey, {
    httpOnly: true,
    sameSite: "lax",
    secure: servedOverHttps(),
    path: "/",
    maxAge: ONE_YEAR_SECONDS,
  });
  return success({ ticket: signIn.ticket, destination: signIn.destination });
}

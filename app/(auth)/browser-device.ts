import "server-only";
import { cookies } from "next/headers";
import { success, type ActionResult } from "@/lib/actions";
import type { BrowserSignIn } from "@/lib/accounts/browser-sign-in";
import { SecondFactorRequired } from "@/lib/two-step/challenges";
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

// The challenge a first factor leaves when two-step verification is on (ADR 0072): httpOnly, sent
// only to the authenticator step's page, and dead after five minutes like the challenge itself.
const TWO_STEP_COOKIE = { name: "latchkey_two_step", path: "/sign-in/two-step", maxAgeSeconds: 5 * 60 } as const;

/** Where the authenticator step lives; completeSignIn goes there instead of redeeming a ticket. */
export const TWO_STEP_PATH = "/sign-in/two-step";

export async function currentTwoStepChallenge(): Promise<string | undefined> {
  return (await cookies()).get(TWO_STEP_COOKIE.name)?.value;
}

/** Where the browser goes once next-auth has redeemed the ticket. */
export type SignedIn = { destination: string };

/**
 * Remembers the browser's device and gives it its single-use sign-in ticket in an httpOnly cookie
 * for next-auth's ticket callback: the action's result, which page scripts read, never carries it.
 * A first factor on an account with two-step verification yields no ticket: its challenge goes in
 * a cookie of its own, and the browser goes to the authenticator step.
 */
export async function finishBrowserSignIn(pending: Promise<BrowserSignIn>): Promise<ActionResult<SignedIn>> {
  let signIn: BrowserSignIn;
  try {
    signIn = await pending;
  } catch (error) {
    if (!(error instanceof SecondFactorRequired)) throw error;
    (await cookies()).set(TWO_STEP_COOKIE.name, error.issued.challenge, {
      httpOnly: true,
      sameSite: "strict",
      secure: servedOverHttps(),
      path: TWO_STEP_COOKIE.path,
      maxAge: TWO_STEP_COOKIE.maxAgeSeconds,
    });
    return success({ destination: TWO_STEP_PATH });
  }
  const jar = await cookies();
  const deviceCookie = deviceCookieOptions();
  jar.delete({ name: TWO_STEP_COOKIE.name, path: TWO_STEP_COOKIE.path });
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

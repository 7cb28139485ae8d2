import { parseUserAgent } from "./user-agent";

/** The longest device name. Here rather than in ./devices.ts so forms can import it without the database. */
export const DEVICE_NAME_MAX = 64;

/** Names a browser device from its User-Agent ("Firefox on Ubuntu"), for the device list. */
export function deviceNameFromUserAgent(userAgent: string | null | undefined): string {
  const { browser, system } = parseUserAgent(userAgent);
  if (browser && system) return `${browser} on ${system}`;
  return browser ?? system ?? "Unknown browser";
}

// Names a browser device from its User-Agent ("Firefox on Ubuntu"), for the device list. Order
// matters: Edge and Opera also claim Chrome, Chrome also claims Safari, Android also claims Linux.
const browsers: Array<[RegExp, string]> = [
  [/Edg(e|A|iOS)?\//, "Edge"],
  [/OPR\/|Opera/, "Opera"],
  [/SamsungBrowser\//, "Samsung Internet"],
  [/Firefox\/|FxiOS\//, "Firefox"],
  [/Chrome\/|CriOS\/|Chromium\//, "Chrome"],
  [/Safari\//, "Safari"],
];

const systems: Array<[RegExp, string]> = [
  [/iPhone/, "iPhone"],
  [/iPad/, "iPad"],
  [/Android/, "Android"],
  [/CrOS/, "ChromeOS"],
  [/Windows/, "Windows"],
  [/Mac OS X|Macintosh/, "macOS"],
  [/Ubuntu/, "Ubuntu"],
  [/Fedora/, "Fedora"],
  [/Linux/, "Linux"],
];

/** The longest device name. Here rather than in lib/devices.ts so forms can import it without the database. */
export const DEVICE_NAME_MAX = 64;

export function deviceNameFromUserAgent(userAgent: string | null | undefined): string {
  const ua = userAgent ?? "";
  const browser = browsers.find(([pattern]) => pattern.test(ua))?.[1];
  const system = systems.find(([pattern]) => pattern.test(ua))?.[1];
  if (browser && system) return `${browser} on ${system}`;
  return browser ?? system ?? "Unknown browser";
}

// Reads a stored User-Agent into a browser and a system, for device names. Order
// matters: Edge and Opera also claim Chrome, Chrome also claims Safari, Android also claims Linux.
export type Browser = "Edge" | "Opera" | "Samsung Internet" | "Firefox" | "Chrome" | "Safari";
export type System = "iPhone" | "iPad" | "Android" | "ChromeOS" | "Windows" | "macOS" | "Ubuntu" | "Fedora" | "Linux";

const browsers: Array<[RegExp, Browser]> = [
  [/Edg(e|A|iOS)?\//, "Edge"],
  [/OPR\/|Opera/, "Opera"],
  [/SamsungBrowser\//, "Samsung Internet"],
  [/Firefox\/|FxiOS\//, "Firefox"],
  [/Chrome\/|CriOS\/|Chromium\//, "Chrome"],
  [/Safari\//, "Safari"],
];

const systems: Array<[RegExp, System]> = [
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

export function parseUserAgent(userAgent: string | null | undefined): { browser?: Browser; system?: System } {
  const ua = userAgent ?? "";
  return {
    browser: browsers.find(([pattern]) => pattern.test(ua))?.[1],
    system: systems.find(([pattern]) => pattern.test(ua))?.[1],
  };
}

/** What a device looks like, for its icon in the device list. */
export type FormFactor = "phone" | "tablet" | "computer" | "app";

/**
 * A messaging client is an app whatever it runs on; a browser is a phone, a tablet or a computer
 * by its User-Agent (Android phones say "Mobile", Android tablets do not). Unknown: a computer.
 */
export function formFactorOf(kind: "BROWSER" | "CLIENT", userAgent: string | null | undefined): FormFactor {
  if (kind === "CLIENT") return "app";
  const { system } = parseUserAgent(userAgent);
  if (system === "iPhone") return "phone";
  if (system === "iPad") return "tablet";
  if (system === "Android") return /Mobile/.test(userAgent ?? "") ? "phone" : "tablet";
  return "computer";
}

/** "Chrome on Windows", "Safari on iPhone", or null when the User-Agent names neither. */
export function browserOnSystem(userAgent: string | null | undefined): string | null {
  const { browser, system } = parseUserAgent(userAgent);
  if (browser && system) return `${browser} on ${system}`;
  return browser ?? system ?? null;
}

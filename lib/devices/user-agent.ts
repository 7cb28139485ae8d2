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

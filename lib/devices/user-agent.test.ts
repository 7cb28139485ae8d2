import { describe, expect, it } from "vitest";
import { browserOnSystem, formFactorOf, parseUserAgent } from "./user-agent";

// Real User-Agent strings, as the browsers send them.
const agents = {
  chromeWindows: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
  firefoxWindows: "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
  edgeWindows: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
  safariMac: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
  chromeMac: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
  firefoxMac: "Mozilla/5.0 (Macintosh; Intel Mac OS X 14.7; rv:133.0) Gecko/20100101 Firefox/133.0",
  firefoxLinux: "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
  chromeLinux: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
  chromeAndroid: "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
  firefoxAndroid: "Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0",
  edgeAndroid: "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36 EdgA/131.0.0.0",
  safariIphone: "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
  chromeIphone: "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1",
  firefoxIpad: "Mozilla/5.0 (iPad; CPU OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) FxiOS/133.0 Mobile/15E148 Safari/605.1.15",
  curl: "curl/8.5.0",
  okhttp: "okhttp/4.12.0",
};

describe("parseUserAgent", () => {
  it.each([
    ["chromeWindows", "Chrome", "Windows"],
    ["firefoxWindows", "Firefox", "Windows"],
    ["edgeWindows", "Edge", "Windows"],
    ["safariMac", "Safari", "macOS"],
    ["chromeMac", "Chrome", "macOS"],
    ["firefoxMac", "Firefox", "macOS"],
    ["firefoxLinux", "Firefox", "Linux"],
    ["chromeLinux", "Chrome", "Linux"],
    ["chromeAndroid", "Chrome", "Android"],
    ["firefoxAndroid", "Firefox", "Android"],
    ["edgeAndroid", "Edge", "Android"],
    ["safariIphone", "Safari", "iPhone"],
    ["chromeIphone", "Chrome", "iPhone"],
    ["firefoxIpad", "Firefox", "iPad"],
  ] as const)("%s is %s on %s", (agent, browser, system) => {
    expect(parseUserAgent(agents[agent])).toEqual({ browser, system });
  });

  it("knows neither browser nor system of an API client or of nothing", () => {
    expect(parseUserAgent(agents.curl)).toEqual({ browser: undefined, system: undefined });
    expect(parseUserAgent(agents.okhttp)).toEqual({ browser: undefined, system: undefined });
    expect(parseUserAgent(null)).toEqual({ browser: undefined, system: undefined });
  });
});

describe("formFactorOf and browserOnSystem", () => {
  it.each([
    ["chromeWindows", "computer", "Chrome on Windows"],
    ["safariMac", "computer", "Safari on macOS"],
    ["firefoxLinux", "computer", "Firefox on Linux"],
    ["chromeAndroid", "phone", "Chrome on Android"],
    ["safariIphone", "phone", "Safari on iPhone"],
    ["firefoxIpad", "tablet", "Firefox on iPad"],
    ["curl", "computer", null],
  ] as const)("a browser sending %s is a %s (%s)", (agent, formFactor, described) => {
    expect(formFactorOf("BROWSER", agents[agent])).toBe(formFactor);
    expect(browserOnSystem(agents[agent])).toBe(described);
  });

  it("reads an Android tablet (no 'Mobile') as a tablet, a messaging client as an app, and no User-Agent as a computer", () => {
    expect(formFactorOf("BROWSER", "Mozilla/5.0 (Linux; Android 14; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36")).toBe("tablet");
    expect(formFactorOf("CLIENT", agents.okhttp)).toBe("app");
    expect(formFactorOf("CLIENT", agents.safariIphone)).toBe("app");
    expect(formFactorOf("BROWSER", null)).toBe("computer");
    expect(browserOnSystem(null)).toBeNull();
  });
});

import { describe, expect, it } from "vitest";
import { InvalidEnvironmentError, parseEnv } from "./env";

describe("APP_URL and passkeys", () => {
  it.each(["http://localhost:3000", "http://app.localhost:8080", "https://accounts.example.com", "https://example.com:8443/"])(
    "accepts %s",
    (url) => {
      expect(parseEnv({ APP_URL: url }).APP_URL).toBe(url);
    },
  );

  it.each([
    ["http://127.0.0.1:3000", /not an IP address/],
    ["https://10.0.0.5", /not an IP address/],
    ["http://[::1]:3000", /not an IP address/],
    ["http://accounts.example.com", /must be https/],
  ])("refuses %s at start-up, naming APP_URL", (url, reason) => {
    expect(() => parseEnv({ APP_URL: url })).toThrow(InvalidEnvironmentError);
    expect(() => parseEnv({ APP_URL: url })).toThrow(reason);
    expect(() => parseEnv({ APP_URL: url })).toThrow(/APP_URL/);
  });
});

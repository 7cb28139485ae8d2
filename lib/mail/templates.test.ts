import { describe, expect, it, vi } from "vitest";
import { passwordResetMail, signInCodeMail } from "./templates";

describe("code mail subjects", () => {
  it("say what a reset code is for, so it does not read like a sign-in code", () => {
    expect(passwordResetMail("a@example.test", "123456", "http://localhost:3000/reset/t").subject).toBe("123456 is your Latchkey password reset code");
    expect(signInCodeMail("a@example.test", "654321").subject).toBe("654321 is your Latchkey code");
  });
});

describe("branding", () => {
  it("signs mails and names codes with PRODUCT_NAME and colours the button with ACCENT_COLOR", async () => {
    vi.resetModules();
    vi.stubEnv("PRODUCT_NAME", "Acme Chat");
    vi.stubEnv("ACCENT_COLOR", "#AA3300");
    try {
      const templates = await import("./templates");
      const mail = templates.passwordResetMail("a@example.test", "123456", "http://localhost:3000/reset/t");
      expect(mail.subject).toBe("123456 is your Acme Chat password reset code");
      expect(mail.text).toContain("— Acme Chat");
      expect(mail.html).toContain("background:#aa3300");
    } finally {
      vi.unstubAllEnvs();
      vi.resetModules();
    }
  });
});

import { describe, expect, it } from "vitest";
import { passwordResetMail, signInCodeMail } from "./templates";

describe("code mail subjects", () => {
  it("say what a reset code is for, so it does not read like a sign-in code", () => {
    expect(passwordResetMail("a@example.test", "123456", "http://localhost:3000/reset/t").subject).toBe("123456 is your Latchkey password reset code");
    expect(signInCodeMail("a@example.test", "654321").subject).toBe("654321 is your Latchkey code");
  });
});

import { describe, expect, it, vi } from "vitest";
import type { MailMessage } from "./transport";
import * as templates from "./templates";
import { passwordResetMail, signInCodeMail } from "./templates";

// Issue 22, "also wanted": every template renders text a person wrote (a device or passkey name, an
// address, a number) as text. The HTML part escapes it; the text part and the SMS keep each line
// one line, even for names stored before line breaks and bidi controls were refused.

const MARKUP = `<script>alert(1)</script><img src=x onerror="alert(2)">"'&`;
const INJECTED = "\r\nBcc: evil@example.test\n\nInjected paragraph\u2028Injected too\u0085\u000b";
const HOSTILE = `${MARKUP}${INJECTED}\u202Eexe.gnp\u2066x${"W".repeat(10_000)}`;
const URL_WITH_QUOTES = `http://localhost:3000/verify-email/t"><script>alert(3)</script>`;
const when = new Date("2026-12-07T12:00:00Z");
const summary: templates.RevertSummary = {
  restoredEmail: HOSTILE,
  replacedEmail: HOSTILE,
  phone: { restored: HOSTILE, replaced: HOSTILE },
  revokedDevices: [HOSTILE, HOSTILE],
  removedPasskeys: [{ name: HOSTILE, createdAt: when }],
  twoStepTurnedOff: true,
  passwordCleared: true,
  sessionsEnded: 2,
};

type Rendered = MailMessage | templates.AccountNotice | string;

/** Each template with hostile text in every argument a person can influence. */
const rendered: Record<string, () => Rendered> = {
  signUpMail: () => templates.signUpMail(HOSTILE, "123456", URL_WITH_QUOTES),
  signInCodeMail: () => templates.signInCodeMail(HOSTILE, "123456"),
  passwordResetMail: () => templates.passwordResetMail(HOSTILE, "123456", URL_WITH_QUOTES),
  alreadyRegisteredMail: () => templates.alreadyRegisteredMail(HOSTILE),
  noAccountResetMail: () => templates.noAccountResetMail(HOSTILE),
  deactivatedAccountMail: () => templates.deactivatedAccountMail(HOSTILE),
  ownAccountDeletedNotice: () => templates.ownAccountDeletedNotice(),
  accountDeletedNotice: () => templates.accountDeletedNotice(),
  passwordChangedNotice: () => templates.passwordChangedNotice("changed", [HOSTILE]),
  newDeviceNotice: () => templates.newDeviceNotice(HOSTILE, HOSTILE),
  passwordResetNotice: () => templates.passwordResetNotice({ passkeys: [{ name: HOSTILE, createdAt: when }], devices: [HOSTILE] }),
  phoneChangedNotice: () => templates.phoneChangedNotice(HOSTILE),
  passkeyAddedNotice: () => templates.passkeyAddedNotice(HOSTILE),
  keyClaimsThrottledNotice: () => templates.keyClaimsThrottledNotice(HOSTILE),
  passkeyRemovedNotice: () => templates.passkeyRemovedNotice(HOSTILE),
  twoStepNotice: () => templates.twoStepNotice("off_by_admin"),
  emailChangeCodeMail: () => templates.emailChangeCodeMail(HOSTILE, "123456"),
  emailChangeTakenMail: () => templates.emailChangeTakenMail(HOSTILE),
  emailAddedSms: () => templates.emailAddedSms(HOSTILE, templates.emailChangeRevertUrl(HOSTILE)),
  emailChangedMail: () => templates.emailChangedMail(HOSTILE, HOSTILE, HOSTILE),
  contactChangeRevertedNotice: () => templates.contactChangeRevertedNotice(summary),
  phoneChangedSms: () => templates.phoneChangedSms(HOSTILE, HOSTILE),
  linkedIdentityNotice: () => templates.linkedIdentityNotice("linked", HOSTILE),
  reauthenticationCodeMail: () => templates.reauthenticationCodeMail(HOSTILE, "123456"),
  codeSms: () => templates.codeSms("123456"),
  alreadyRegisteredSms: () => templates.alreadyRegisteredSms(),
  deactivatedAccountSms: () => templates.deactivatedAccountSms(),
  reauthenticationCodeSms: () => templates.reauthenticationCodeSms("123456"),
  phoneChangeTakenSms: () => templates.phoneChangeTakenSms(),
};

/** Exported helpers that build a URL, not a message. */
const NOT_TEMPLATES = new Set(["appUrl", "emailChangeRevertUrl"]);

function parts(output: Rendered): { html?: string; lines: string[] } {
  if (typeof output === "string") return { lines: [output] };
  const mail = "mailTo" in output ? output.mailTo("owner@example.test") : output;
  return { html: mail.html ?? "", lines: [mail.subject, ...mail.text.split("\n"), ...("sms" in output ? [output.sms] : [])] };
}

describe("mail and SMS templates with hostile text", () => {
  it("the table renders every template", () => {
    const exported = Object.entries(templates)
      .filter(([name, value]) => typeof value === "function" && !NOT_TEMPLATES.has(name))
      .map(([name]) => name);
    expect(Object.keys(rendered).sort()).toEqual(exported.sort());
  });

  it.each(Object.entries(rendered))("%s escapes markup in HTML and adds no line to the text or the SMS", (_, render) => {
    const { html, lines } = parts(render());
    if (html !== undefined) {
      expect(html).not.toMatch(/<script|<img|onerror="/i);
      // The page's own tags are the only ones: what a person wrote is there only escaped.
      expect(new Set(html.match(/<[a-z0-9!]+/gi))).toEqual(new Set(["<!doctype", "<html", "<body", "<div", "<h1", "<p", ...(/<a /.test(html) ? ["<a"] : [])]));
    }
    for (const line of lines) {
      expect(line).not.toMatch(/[\r\n\u0085\u000b\u2028\u2029\u202E\u2066]/);
      expect(line).not.toMatch(/^\s*(Bcc:|Injected)/);
    }
  });

  it("keeps what the person wrote, escaped, where it belongs", () => {
    const notice = templates.newDeviceNotice(`${MARKUP}${INJECTED}`, "192.0.2.1").mailTo("owner@example.test");
    expect(notice.html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=&quot;alert(2)&quot;&gt;&quot;&#39;&amp;");
    expect(notice.text).toContain(`Your account was just signed in on ${MARKUP} Bcc: evil@example.test Injected paragraph Injected too  (IP address 192.0.2.1).`);
    expect(templates.signUpMail("a@example.test", "123456", URL_WITH_QUOTES).html).toContain(
      `href="http://localhost:3000/verify-email/t&quot;&gt;&lt;script&gt;alert(3)&lt;/script&gt;"`,
    );
  });
});


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

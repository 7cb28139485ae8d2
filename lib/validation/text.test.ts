import { describe, expect, it } from "vitest";
import { auditLogQuerySchema } from "../admin/audit-log";
import { userListQuerySchema } from "../admin/users";
import { tokenRequestSchema } from "../api/schemas";
import { renamePasskeySchema } from "../passkeys/schemas";
import { AppError } from "../errors";
import { listSecurityActivity } from "../settings/activity";
import { isStorableText, plausibleInstant, userText, nameText } from "./text";

describe("userText", () => {
  it("rejects NUL and lone surrogates, keeps paired surrogates", () => {
    expect(isStorableText("Ada's phone 😀")).toBe(true);
    for (const bad of ["a\u0000b", "\ud800", "x\udc00", "\ud800x", "😀\udc00"]) expect(isStorableText(bad), JSON.stringify(bad)).toBe(false);
    expect(userText().safeParse("ok\u0000").success).toBe(false);
  });

  it("guards the device name of POST /api/auth/token", () => {
    for (const deviceName of ["pho\u0000ne", "phone \ud800"]) {
      expect(tokenRequestSchema.safeParse({ email: "a@example.test", code: "123456", deviceName }).success).toBe(false);
    }
  });
});

describe("page filters: nonsense is ignored, never a 500", () => {
  it("plausibleInstant accepts 1970..9999 only", () => {
    expect(plausibleInstant("2026-01-01T00:00:00Z")).toEqual(new Date("2026-01-01T00:00:00Z"));
    for (const bad of ["0000-01-01T00:00:00Z", "2026-02-31T99:00:00Z", "+275760-09-13T00:00:00Z", "nonsense"]) expect(plausibleInstant(bad)).toBeNull();
  });

  it("/admin/audit drops year-0 days and impossible or non-UUID cursors", () => {
    const query = auditLogQuerySchema.parse({
      from: "0000-01-01",
      to: "0000-01-01",
      before: "0000-01-01T00:00:00Z_------------------------------------",
      actor: "a\u0000b",
    });
    expect(query).toMatchObject({ from: undefined, to: undefined, before: undefined, actor: undefined });
    expect(auditLogQuerySchema.parse({ before: "2026-01-01T00:00:00.000Z_zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz" }).before).toBeUndefined();
    expect(auditLogQuerySchema.parse({ before: "2026-13-45T99:99:99Z_00000000-0000-4000-8000-000000000000" }).before).toBeUndefined();
    const valid = "2026-01-01T00:00:00.000Z_00000000-0000-4000-8000-000000000000";
    expect(auditLogQuerySchema.parse({ before: valid, from: "2026-01-01" })).toMatchObject({ before: valid, from: "2026-01-01" });
  });

  it("/admin/users ignores a query with NUL", () => {
    expect(userListQuerySchema.parse({ q: "ada\u0000" }).q).toBe("");
  });

  it("/settings/security refuses a cursor with a non-UUID id or an impossible date before querying", async () => {
    const cursors = ["0000-01-01T00:00:00.000Z|00000000-0000-4000-8000-000000000000", "2026-01-01T00:00:00.000Z|------------------------------------", "garbage"];
    for (const raw of cursors) {
      await expect(listSecurityActivity("00000000-0000-4000-8000-000000000000", { cursor: Buffer.from(raw).toString("base64url") })).rejects.toBeInstanceOf(AppError);
    }
  });
});

describe("nameText (issue 22, item 12)", () => {
  const schema = nameText();
  it.each([
    ["a right-to-left override", "\u202Eexe.gnp"],
    ["a left-to-right embedding", "a\u202Ab"],
    ["a first-strong isolate", "\u2068name\u2069"],
    ["a right-to-left mark", "name\u200F"],
    ["an Arabic letter mark", "\u061Cname"],
    ["a zero-width space", "ad\u200Bmin"],
    ["a zero-width non-joiner", "ad\u200Cmin"],
    ["a lone zero-width joiner", "ad\u200Dmin"],
    ["a word joiner", "ad\u2060min"],
    ["a byte-order mark", "\uFEFFadmin"],
    ["a soft hyphen", "ad\u00ADmin"],
    ["a Hangul filler", "\u3164"],
    ["a tag character", "flag\u{E0067}"],
    ["a line feed", "Phone\nClick here: https://evil.example"],
    ["a carriage return", "Phone\r\nBcc: x"],
    ["a tab", "a\tb"],
    ["an escape", "a\u001b[31mred"],
    ["a DEL", "a\u007F"],
  ])("refuses %s", (_, value) => {
    expect(schema.safeParse(value).success).toBe(false);
  });

  it.each(["Ada's phone", "Zoë Ω", "München", "李小龙", "محمد", "שלום", "👨‍👩‍👧 family", "🏳️‍🌈", "👍🏽 ok", "Pixel 9 (work)"])("keeps %s", (value) => {
    expect(schema.parse(value)).toBe(value);
  });
});

describe("passkey names (found by a fresh attacker: a NUL was a 500, bidi and line breaks passed)", () => {
  it.each(["key\u0000", "\u202Eyek", "my\nkey", "\ud800"])("renamePasskeySchema refuses %j", (name) => {
    expect(renamePasskeySchema.safeParse({ passkeyId: "00000000-0000-4000-8000-000000000000", name }).success).toBe(false);
  });
});

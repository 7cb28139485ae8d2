import { describe, expect, it } from "vitest";
import bcrypt from "bcrypt";
import { assertPasswordAllowed, hashPassword, isCommonPassword, verifyAgainstDummy, verifyPassword } from "./password";
import { AppError } from "../errors";

describe("passwords", () => {
  it("hashes with argon2id at m=19456, t=2, p=1 and verifies", async () => {
    const hash = await hashPassword("correct horse battery staple");
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(hash, "correct horse battery staple")).toEqual({ ok: true, needsUpgrade: false });
    expect(await verifyPassword(hash, "Correct horse battery staple")).toEqual({ ok: false, needsUpgrade: false });
  });

  it("accepts seed-format bcrypt hashes and asks for an upgrade only when they match", async () => {
    const legacy = await bcrypt.hash("old-but-fine-password", 4);
    expect(await verifyPassword(legacy, "old-but-fine-password")).toEqual({ ok: true, needsUpgrade: true });
    expect(await verifyPassword(legacy, "wrong")).toEqual({ ok: false, needsUpgrade: false });
  });

  it("treats a malformed stored hash as a failed check", async () => {
    expect(await verifyPassword("not-a-hash", "anything")).toEqual({ ok: false, needsUpgrade: false });
  });

  it("a dummy verification always fails", async () => {
    expect(await verifyAgainstDummy("latchkey-dummy-password-for-unknown-accounts")).toBe(false);
  });

  it("refuses common passwords whatever their case, with a field error", () => {
    expect(isCommonPassword("password")).toBe(true);
    expect(isCommonPassword("PassWord1")).toBe(true);
    expect(isCommonPassword("iloveyou")).toBe(true);
    expect(isCommonPassword("plum-kettle-orbit-94")).toBe(false);
    const error = (() => {
      try {
        assertPasswordAllowed("qwertyuiop");
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).details).toEqual({ field: "password" });
    expect(() => assertPasswordAllowed("plum-kettle-orbit-94")).not.toThrow();
  });
});

import { describe, expect, it } from "vitest";
import { accountSummary, initialsOf } from "./account-summary";

const user = { name: null, username: null, email: null, phoneNumber: null, role: "USER" };

describe("account menu summary", () => {
  it("takes initials from the first two words, or two letters of one word", () => {
    expect(initialsOf("Ada Lovelace")).toBe("AL");
    expect(initialsOf("ada")).toBe("AD");
    expect(initialsOf("@grace_hopper")).toBe("GH");
    expect(initialsOf("émile zola")).toBe("ÉZ");
  });

  it("names the person by display name, then username, then address; the address only when it adds something", () => {
    expect(accountSummary({ ...user, name: "Ada Lovelace", email: "ada@example.test" })).toEqual({ name: "Ada Lovelace", address: "ada@example.test", initials: "AL", isAdmin: false });
    expect(accountSummary({ ...user, username: "ada", phoneNumber: "+447700900123", role: "ADMIN" })).toEqual({ name: "@ada", address: "+44 7700 900123", initials: "AD", isAdmin: true });
    expect(accountSummary({ ...user, email: "x@example.test" })).toMatchObject({ name: "x@example.test", address: null });
  });
});

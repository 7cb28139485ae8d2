import { describe, expect, it } from "vitest";
import { codeSchema, contactSchema, emailSchema, phoneSchema } from "./contact";
import { optionalPasswordSchema, passwordSchema } from "./password";
import { ageOn, onboardingSchema, profileSchema, usernameSchema } from "./profile";
import { COUNTRIES } from "./countries";

const messageOf = (result: { success: boolean; error?: { issues: { message: string }[] } }) => result.error?.issues[0]?.message;

function yearsAgo(years: number, dayOffset = 0): string {
  const today = new Date();
  const date = new Date(Date.UTC(today.getUTCFullYear() - years, today.getUTCMonth(), today.getUTCDate() + dayOffset));
  return date.toISOString().slice(0, 10);
}

const profile = { name: "Ada", username: "Ada_L", fullName: "Ada Lovelace", dob: "1990-12-10", country: "us", state: "ny", zip: "10001" };

describe("contact schemas", () => {
  it("normalises email to lower case and explains a bad one", () => {
    expect(emailSchema.parse("  Ada@Example.COM ")).toBe("ada@example.com");
    expect(messageOf(emailSchema.safeParse("ada@"))).toMatch(/valid email/);
    expect(messageOf(emailSchema.safeParse(""))).toBe("Enter your email address.");
  });

  it("normalises phone numbers to E.164 and explains bad ones", () => {
    expect(phoneSchema.parse("+1 (415) 555-2671")).toBe("+14155552671");
    expect(phoneSchema.parse("+44 20 7946 0958")).toBe("+442079460958");
    expect(messageOf(phoneSchema.safeParse("4155552671"))).toMatch(/country code/);
    expect(messageOf(phoneSchema.safeParse("+1 555 555 5555"))).toMatch(/not a valid phone number/);
  });

  it("accepts mobile numbers of several countries and refuses impossible ranges with the full metadata", () => {
    expect(phoneSchema.parse("+44 7911 123456")).toBe("+447911123456");
    expect(phoneSchema.parse("+49 151 23456789")).toBe("+4915123456789");
    expect(phoneSchema.parse("+33 6 12 34 56 78")).toBe("+33612345678");
    expect(phoneSchema.parse("+61 412 345 678")).toBe("+61412345678");
    expect(phoneSchema.parse("+91 98765 43210")).toBe("+919876543210");
    // A German 0151 mobile has 11 digits: ten is a plausible length for Germany (the browser's
    // min metadata lets it through) but no number in that range has it.
    expect(messageOf(phoneSchema.safeParse("+49 151 2345678"))).toMatch(/not a valid phone number/);
    expect(messageOf(phoneSchema.safeParse("+1 415 012 3456"))).toMatch(/not a valid phone number/);
  });

  it("refuses numbers that cannot receive a text, too short numbers and letters", () => {
    expect(messageOf(phoneSchema.safeParse("+33 8 12 34 56 78"))).toMatch(/not a valid phone number/);
    expect(messageOf(phoneSchema.safeParse("+1 800 555 0199"))).toMatch(/not a valid phone number/);
    expect(messageOf(phoneSchema.safeParse("+44 20 79"))).toMatch(/too short/);
    expect(messageOf(phoneSchema.safeParse("+1 415 555 CALL"))).toMatch(/only digits/);
  });

  it("reads one field as email or phone", () => {
    expect(contactSchema.parse("Ada@Example.com")).toEqual({ channel: "EMAIL", destination: "ada@example.com" });
    expect(contactSchema.parse("+1 415 555 2671")).toEqual({ channel: "SMS", destination: "+14155552671" });
    expect(contactSchema.safeParse("415").success).toBe(false);
  });

  it("accepts a pasted code with spaces and refuses anything but six digits", () => {
    expect(codeSchema.parse("123 456")).toBe("123456");
    expect(codeSchema.safeParse("12345").success).toBe(false);
    expect(codeSchema.safeParse("12345a").success).toBe(false);
  });
});

describe("password schema", () => {
  it("allows 8 to 128 characters with no composition rules; empty means none at sign-up", () => {
    expect(passwordSchema.safeParse("abcdefgh").success).toBe(true);
    expect(messageOf(passwordSchema.safeParse("abcdefg"))).toMatch(/at least 8/);
    expect(passwordSchema.safeParse("x".repeat(129)).success).toBe(false);
    expect(optionalPasswordSchema.parse("")).toBeUndefined();
    expect(optionalPasswordSchema.safeParse("short").success).toBe(false);
  });
});

describe("profile schema", () => {
  it("normalises username, country, state and zip", () => {
    const parsed = profileSchema.parse({ ...profile, country: "gb", state: "eng", zip: "sw1a1aa" });
    expect(parsed).toMatchObject({ username: "ada_l", country: "GB", state: "ENG", zip: "SW1A 1AA" });
    expect(parsed.dob.toISOString()).toBe("1990-12-10T00:00:00.000Z");
  });

  it("refuses bad usernames", () => {
    expect(usernameSchema.safeParse("ab").success).toBe(false);
    expect(usernameSchema.safeParse("a".repeat(31)).success).toBe(false);
    expect(messageOf(usernameSchema.safeParse("ada-l"))).toMatch(/letters, digits and underscores/);
  });

  it("refuses anyone under 13, and accepts a 13th birthday today", () => {
    expect(messageOf(profileSchema.safeParse({ ...profile, dob: yearsAgo(13, 1) }))).toMatch(/at least 13/);
    expect(profileSchema.safeParse({ ...profile, dob: yearsAgo(13) }).success).toBe(true);
    expect(messageOf(profileSchema.safeParse({ ...profile, dob: "2001-02-29" }))).toMatch(/does not exist/);
    expect(ageOn(new Date("2000-02-29T00:00:00Z"), new Date("2013-02-28T00:00:00Z"))).toBe(12);
  });

  it("takes countries from the ISO list only", () => {
    expect(COUNTRIES.length).toBeGreaterThanOrEqual(249);
    expect(messageOf(profileSchema.safeParse({ ...profile, country: "XX" }))).toMatch(/from the list/);
  });

  it("checks state and postal code where the format is known", () => {
    const issues = (input: object) =>
      Object.fromEntries(profileSchema.safeParse({ ...profile, ...input }).error?.issues.map((issue) => [issue.path[0], issue.message]) ?? []);
    expect(issues({ state: "ZZ" })).toHaveProperty("state");
    expect(issues({ zip: "1234" })).toHaveProperty("zip");
    expect(issues({ zip: "" })).toEqual({});
    expect(issues({ state: "" })).toEqual({});
    expect(issues({ country: "CA", state: "ON", zip: "k1a0b1" })).toEqual({});
    expect(issues({ country: "CA", state: "ON", zip: "12345" })).toHaveProperty("zip");
    expect(issues({ country: "DE", state: "BE", zip: "10115" })).toEqual({});
    expect(issues({ country: "IN", state: "DL", zip: "110001" })).toEqual({});
    expect(issues({ country: "AU", state: "NSW", zip: "2000" })).toEqual({});
    expect(issues({ country: "AU", state: "NSW", zip: "20000" })).toHaveProperty("zip");
    // No known format: free text, optional.
    expect(issues({ country: "KE", state: "Nairobi", zip: "" })).toEqual({});
  });

  it("reports every field's error at once, not the location only once the rest is right", () => {
    const result = profileSchema.safeParse({ name: "", username: "x", fullName: "", dob: "2001-02-29", country: "US", state: "ZZ", zip: "1" });
    const fields = new Set(result.error?.issues.map((issue) => issue.path[0]));
    expect([...fields].sort()).toEqual(["dob", "name", "state", "username", "zip"]);
    const badCountry = profileSchema.safeParse({ ...profile, dob: yearsAgo(10), country: "XX" });
    expect(new Set(badCountry.error?.issues.map((issue) => issue.path[0]))).toEqual(new Set(["dob", "country"]));
  });

  it("asks the gate only for display name, username and date of birth; full name and location are optional in settings", () => {
    expect(onboardingSchema.parse({ name: "Ada", username: "Ada_L", dob: "1990-12-10", country: "ZZ" })).toEqual({
      name: "Ada",
      username: "ada_l",
      dob: new Date("1990-12-10T00:00:00Z"),
    });
    const issues = onboardingSchema.safeParse({ name: "", username: "", dob: yearsAgo(12) }).error?.issues.map((issue) => issue.path[0]);
    expect(new Set(issues)).toEqual(new Set(["dob", "name", "username"]));
    expect(profileSchema.parse({ ...profile, fullName: "", country: "", state: "", zip: "" })).toMatchObject({ fullName: null, country: null, state: null, zip: null });
  });

  it.each(["admin", "Root", "SUPPORT", "security", "latchkey", "help", "api", "system"])("reserves the username %s", (name) => {
    expect(messageOf(usernameSchema.safeParse(name))).toBe("That username is reserved. Choose another.");
    expect(messageOf(profileSchema.safeParse({ ...profile, username: name }))).toBe("That username is reserved. Choose another.");
  });

  it("does not reserve names that merely contain a reserved word", () => {
    expect(usernameSchema.safeParse("admiral").success).toBe(true);
    expect(usernameSchema.safeParse("help_desk_ada").success).toBe(true);
  });
});

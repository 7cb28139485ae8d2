import { z } from "./zod";
import { COUNTRY_CODES } from "./countries";
import { POSTAL_FORMATS, REGIONS } from "./regions";
import { userText } from "./text";

export const MINIMUM_AGE = 13;

export const usernameSchema = userText({ error: "Choose a username." })
  .trim()
  .toLowerCase()
  .min(3, "A username has at least 3 characters.")
  .max(30, "A username has at most 30 characters.")
  .regex(/^[a-z0-9_]+$/, "Use only letters, digits and underscores.");

/** Whole years between `birth` and `today` (both calendar dates, compared in UTC). */
export function ageOn(birth: Date, today: Date): number {
  let age = today.getUTCFullYear() - birth.getUTCFullYear();
  const beforeBirthday =
    today.getUTCMonth() < birth.getUTCMonth() ||
    (today.getUTCMonth() === birth.getUTCMonth() && today.getUTCDate() < birth.getUTCDate());
  if (beforeBirthday) age -= 1;
  return age;
}

export const dateOfBirthSchema = z
  .string({ error: "Enter your date of birth." })
  .trim()
  .min(1, "Enter your date of birth.")
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Enter the date as YYYY-MM-DD.")
  .transform((value, ctx) => {
    const date = new Date(`${value}T00:00:00Z`);
    if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) {
      ctx.addIssue({ code: "custom", message: "That date does not exist." });
      return z.NEVER;
    }
    const age = ageOn(date, new Date());
    if (age < 0 || age > 130) {
      ctx.addIssue({ code: "custom", message: "Enter your real date of birth." });
      return z.NEVER;
    }
    if (age < MINIMUM_AGE) {
      ctx.addIssue({ code: "custom", message: `You must be at least ${MINIMUM_AGE} years old to use Latchkey.` });
      return z.NEVER;
    }
    return date;
  });

const trimmedText = (label: string, max: number) =>
  userText({ error: `Enter your ${label}.` })
    .trim()
    .min(1, `Enter your ${label}.`)
    .max(max, `Your ${label} has at most ${max} characters.`);

export const profileSchema = z
  .object({
    name: trimmedText("display name", 50),
    username: usernameSchema,
    fullName: trimmedText("full name", 100),
    dob: dateOfBirthSchema,
    country: z
      .string({ error: "Choose your country." })
      .trim()
      .toUpperCase()
      .refine((code) => COUNTRY_CODES.has(code), "Choose your country from the list."),
    state: userText().trim().max(60, "At most 60 characters.").optional().default(""),
    zip: userText().trim().max(20, "At most 20 characters.").optional().default(""),
  })
  .transform((profile, ctx) => {
    const regions = REGIONS[profile.country];
    const state = regions ? profile.state.toUpperCase() : profile.state;
    if (regions && !regions.some((region) => region.code === state)) {
      ctx.addIssue({ code: "custom", path: ["state"], message: "Choose your state or region from the list." });
    }
    const format = POSTAL_FORMATS[profile.country];
    const zip = format && profile.zip ? format.normalise(profile.zip) : profile.zip;
    if (format && !format.pattern.test(zip)) {
      ctx.addIssue({
        code: "custom",
        path: ["zip"],
        message: profile.zip ? `That is not a valid postal code here (example: ${format.example}).` : "Enter your postal code.",
      });
    }
    return { ...profile, state: state || null, zip: zip || null };
  });

export type ProfileInput = z.input<typeof profileSchema>;
export type Profile = z.output<typeof profileSchema>;

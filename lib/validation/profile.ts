import { z } from "./zod";
import { COUNTRY_CODES } from "./countries";
import { POSTAL_FORMATS, REGIONS } from "./regions";
import { nameText, userText } from "./text";

export const MINIMUM_AGE = 13;

/**
 * Names that would pass for Latchkey itself or its staff (in a message, a mention, a support
 * chat). Refused wherever a username is set, since the form and the server share this schema.
 */
export const RESERVED_USERNAMES: ReadonlySet<string> = new Set([
  "admin",
  "administrator",
  "root",
  "support",
  "security",
  "latchkey",
  "help",
  "api",
  "system",
  "staff",
  "moderator",
  "official",
  "team",
  "noreply",
  "postmaster",
  "abuse",
]);

export const usernameSchema = userText({ error: "Choose a username." })
  .trim()
  .toLowerCase()
  .min(3, "A username has at least 3 characters.")
  .max(30, "A username has at most 30 characters.")
  .regex(/^[a-z0-9_]+$/, "Use only letters, digits and underscores.")
  .refine((username) => !RESERVED_USERNAMES.has(username), "That username is reserved. Choose another.");

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
  nameText({ error: `Enter your ${label}.` })
    .trim()
    .min(1, `Enter your ${label}.`)
    .max(max, `Your ${label} has at most ${max} characters.`);

const displayNameSchema = trimmedText("display name", 50);

// Country, state and postal code are optional (DECISIONS §5, 2026-12-07), but checked together when
// given, beside (not after) the other fields, so a form shows every error at once: an object's own
// refinement would wait for the whole object to pass.
const locationSchema = z
  .object({
    country: z
      .string({ error: "Choose your country." })
      .trim()
      .toUpperCase()
      .refine((code) => code === "" || COUNTRY_CODES.has(code), "Choose your country from the list."),
    state: userText().trim().max(60, "At most 60 characters.").optional().default(""),
    zip: userText().trim().max(20, "At most 20 characters.").optional().default(""),
  })
  .transform((location, ctx) => {
    const regions = REGIONS[location.country];
    const state = regions && location.state ? location.state.toUpperCase() : location.state;
    if (regions && state && !regions.some((region) => region.code === state)) {
      ctx.addIssue({ code: "custom", path: ["state"], message: "Choose your state or region from the list." });
    }
    const format = POSTAL_FORMATS[location.country];
    const zip = format && location.zip ? format.normalise(location.zip) : location.zip;
    if (format && zip && !format.pattern.test(zip)) {
      ctx.addIssue({ code: "custom", path: ["zip"], message: `That is not a valid postal code here (example: ${format.example}).` });
    }
    return { country: location.country || null, state: state || null, zip: zip || null };
  });

/**
 * The profile gate after sign-up: only what the product needs (a name to show, a username to be
 * found by, and the date of birth for the age rule). Everything else waits in settings.
 */
export const onboardingSchema = z.object({
  name: displayNameSchema,
  username: usernameSchema,
  dob: dateOfBirthSchema,
});

/** The profile settings page: the gate's fields plus the optional full name and location. */
export const profileSchema = z.intersection(
  onboardingSchema.extend({
    fullName: nameText()
      .trim()
      .max(100, "Your full name has at most 100 characters.")
      .transform((fullName) => fullName || null),
  }),
  locationSchema,
);

export type OnboardingInput = z.input<typeof onboardingSchema>;
export type Onboarding = z.output<typeof onboardingSchema>;
export type ProfileInput = z.input<typeof profileSchema>;
export type Profile = z.output<typeof profileSchema>;

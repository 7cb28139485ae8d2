import { parsePhoneNumberFromString } from "libphonenumber-js";

/**
 * A stored E.164 number as people write it: international format with spaces ("+44 7700 900123").
 * Every page and mail shows numbers this one way (issue 25: raw E.164 beside a formatted number
 * read as two different numbers).
 */
export const humanPhoneNumber = (e164: string): string => parsePhoneNumberFromString(e164)?.formatInternational() ?? e164;

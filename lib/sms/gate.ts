import { parsePhoneNumberFromString } from "libphonenumber-js";
import type { Tx } from "../db";
import { env } from "../env";
import { AppError, RateLimitedError } from "../errors";
import { assertWindowOpen, countWindow, hitWindow, lockKey, recordHit, type WindowLimit } from "../rate-limit";
import { SMS_SHARES, smsBudget } from "../limits";

// SMS pumping (ADR 0027): an attacker spread over many addresses asks for codes to premium-rate
// numbers and the operator pays per text. Per-IP and per-destination limits do not stop that, so
// every text also passes a country allow-list and one hourly budget shared by all instances; and
// so that one source cannot spend that budget for everyone, each requester and each destination
// country has its own share of it, charged first (ADR 0081).

const BUDGET_KEY = "sms:hourly-budget";
const requesterKey = (requester: string) => `sms:requester:${requester}`;
const countryKey = (phoneNumber: string) => `sms:country:${countryPrefixOf(phoneNumber)}`;

export const SMS_PAUSED_MESSAGE = "Text messages are paused; try email or later.";
export const SMS_COUNTRY_PAUSED_MESSAGE = "Text messages to numbers in that country are paused; try email or later.";

/** The country a number's texts are counted against: its ISO country, else its calling code (+800 …). */
function countryPrefixOf(phoneNumber: string): string {
  const parsed = parsePhoneNumberFromString(phoneNumber);
  return parsed?.country ?? `+${parsed?.countryCallingCode ?? "unknown"}`;
}

/** The ISO 3166-1 country of an E.164 number, or null when it has none (e.g. +800 numbers). */
function countryOf(phoneNumber: string): string | null {
  return parsePhoneNumberFromString(phoneNumber)?.country ?? null;
}

/** True when texts may go to this number's country (SMS_ALLOWED_COUNTRIES; empty allows all). */
export function smsCountryAllowed(phoneNumber: string): boolean {
  const allowed = env().SMS_ALLOWED_COUNTRIES;
  if (allowed.length === 0) return true;
  const country = countryOf(phoneNumber);
  return country !== null && allowed.includes(country);
}

/**
 * Refuses a number whose country is not allowed, as an error on the form field `field`. Called
 * before anything is looked up, so the answer is the same whether an account has that number.
 */
export function assertSmsCountryAllowed(phoneNumber: string, field = "phone"): void {
  if (!smsCountryAllowed(phoneNumber)) {
    throw new AppError(
      "sms_country_not_allowed",
      "We cannot send text messages to numbers in that country. Use an email address instead.",
      400,
      { field },
    );
  }
}

/**
 * Takes one text to `to` from `requester`'s share (429 with the wait when spent), then from the
 * hourly budget and from the share of `to`'s country ("sms_paused", 503, when either is spent); in
 * the caller's transaction, so a refused or rolled-back request leaves nothing behind. The text that
 * spends the last of the budget logs an alert (the dashboard shows texts as paused meanwhile).
 */
export async function spendSmsBudget(tx: Tx, text: { requester: string; to: string }): Promise<void> {
  await hitWindow(requesterKey(text.requester), SMS_SHARES.perRequester, tx);
  // The whole budget before the country's share: when both are spent, texts are paused for all.
  const left = await spendOrPause(BUDGET_KEY, smsBudget(), SMS_PAUSED_MESSAGE, tx);
  await spendOrPause(countryKey(text.to), SMS_SHARES.perCountry(), SMS_COUNTRY_PAUSED_MESSAGE, tx);
  if (left === 0) {
    console.warn(`[sms] the hourly budget of ${smsBudget().limit} texts is spent: SMS codes are refused until older texts leave the hour`);
  }
}

/** Records one text under `key` and returns how many are left, or throws "sms_paused" with `message`. */
async function spendOrPause(key: string, limit: WindowLimit, message: string, tx: Tx): Promise<number> {
  await lockKey(key, tx);
  try {
    await assertWindowOpen(key, limit, tx);
  } catch (error) {
    if (error instanceof RateLimitedError) throw new AppError("sms_paused", message, 503);
    throw error;
  }
  await recordHit(key, tx);
  return limit.limit - (await countWindow(key, limit.windowSeconds, tx)).count;
}

/** Counts a text that must go out even when the budget is spent (a security notice to the owner). */
export async function countAgainstSmsBudget(tx: Tx): Promise<void> {
  await recordHit(BUDGET_KEY, tx);
}

export type SmsBudgetStatus = { sentLastHour: number; hourlyBudget: number; paused: boolean };

/** For the admin dashboard: how much of the hourly budget is spent. */
export async function smsBudgetStatus(tx?: Tx): Promise<SmsBudgetStatus> {
  const { count } = await countWindow(BUDGET_KEY, smsBudget().windowSeconds, tx);
  const hourlyBudget = smsBudget().limit;
  return { sentLastHour: count, hourlyBudget, paused: count >= hourlyBudget };
}

import { parsePhoneNumberFromString } from "libphonenumber-js";
import type { Tx } from "../db";
import { env } from "../env";
import { AppError, RateLimitedError } from "../errors";
import { countWindow, hitWindow, recordHit } from "../rate-limit";
import { smsBudget } from "../limits";

// SMS pumping (ADR 0027): an attacker spread over many addresses asks for codes to premium-rate
// numbers and the operator pays per text. Per-IP and per-destination limits do not stop that, so
// every text also passes a country allow-list and one hourly budget shared by all instances.

const BUDGET_KEY = "sms:hourly-budget";

export const SMS_PAUSED_MESSAGE = "Text messages are paused; try email or later.";

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
 * Takes one text from the hourly budget, or refuses with "sms_paused" when it is spent; in the
 * caller's transaction, so a refused or rolled-back request leaves nothing behind.
 */
export async function spendSmsBudget(tx: Tx): Promise<void> {
  try {
    await hitWindow(BUDGET_KEY, smsBudget(), tx);
  } catch (error) {
    if (error instanceof RateLimitedError) throw new AppError("sms_paused", SMS_PAUSED_MESSAGE, 503);
    throw error;
  }
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

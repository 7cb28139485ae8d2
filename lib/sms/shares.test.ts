// One source cannot spend the SMS budget for everyone (ADR 0081): each requester and each
// destination country has its own share, charged before the hourly budget, and the text that
// spends the budget raises an alert. Through the real flows, against PostgreSQL.
process.env.SMS_HOURLY_BUDGET = "13"; // before anything reads env()
process.env.SMS_COUNTRY_HOURLY_BUDGET = "12";

import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { prisma } from "../db";
import { resetDatabase } from "../../test/db";
import { getAdminMetrics } from "../admin/metrics";
import { requestCodeSignIn } from "../accounts/code-sign-in";
import { RateLimitedError } from "../errors";
import { SMS_SHARES } from "../limits";
import { SMS_COUNTRY_PAUSED_MESSAGE, SMS_PAUSED_MESSAGE } from "./gate";

beforeEach(resetDatabase);
afterEach(() => vi.restoreAllMocks());

const network = (n: number) => ({ ip: `192.0.2.${n}`, userAgent: "test" });
const usNumber = (n: number) => ({ channel: "SMS" as const, destination: `+1415555${String(2600 + n)}` });
const GERMAN = { channel: "SMS" as const, destination: "+4915112345678" };
const JAMAICA = { channel: "SMS" as const, destination: "+18765550100" };
const texts = () => prisma.outboxMessage.count({ where: { channel: "SMS" } });

describe("SMS shares below the hourly budget (ADR 0081)", () => {
  it("a requester, a country, then the budget: each refuses in turn; the last text alerts", async () => {
    const warnings = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    // One network texting many numbers is held to its own share; another network is not.
    for (let n = 0; n < SMS_SHARES.perRequester.limit; n += 1) await requestCodeSignIn(usNumber(n), network(1));
    await expect(requestCodeSignIn(usNumber(20), network(1))).rejects.toBeInstanceOf(RateLimitedError);
    await requestCodeSignIn(usNumber(21), network(2));
    await requestCodeSignIn(usNumber(22), network(2));
    // The US share (12) is spent: US numbers wait, another country, even under the same +1, does not.
    await expect(requestCodeSignIn(usNumber(23), network(3))).rejects.toMatchObject({ code: "sms_paused", status: 503, message: SMS_COUNTRY_PAUSED_MESSAGE });
    expect(warnings).not.toHaveBeenCalled();
    await requestCodeSignIn(JAMAICA, network(3));
    expect(warnings).toHaveBeenCalledWith(expect.stringContaining("hourly budget of 13 texts is spent"));
    await expect(requestCodeSignIn(GERMAN, network(4))).rejects.toMatchObject({ code: "sms_paused", message: SMS_PAUSED_MESSAGE });
    expect(await texts()).toBe(13);
    expect((await getAdminMetrics()).sms).toEqual({ sentLastHour: 13, hourlyBudget: 13, paused: true });
  });
});

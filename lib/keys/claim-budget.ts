import { prisma } from "../db";
import { runAfterAnswer } from "../after-answer";
import { recordAudit } from "../audit";
import { KEY_CLAIMS_THROTTLED_NOTICE } from "../limits";
import { deliverOutboxSoon } from "../mail/outbox";
import { notifyAccountHolder } from "../users/notify";
import { keyClaimsThrottledNotice } from "../mail/templates";
import { tryConsumeAllowances } from "../rate-limit";

// The budget of one-time-key claims per target device, across every requester (ADR 0069). The
// claim statement (claim.ts) charges it; this module tells the owner when it ran out.

/** The bucket of one device's claim budget in rate_limit_buckets, shared by every requester. */
export const claimBudgetKey = (deviceId: string) => `key-claim-budget:${deviceId}`;

/**
 * After the answer, tells the owner of each device that was served without one-time keys: a
 * security notice and an audit row, at most once a day per device (a drain lasts as long as the
 * attacker wants; one mail says all there is to say). Deferred so the fetch is not slowed and a
 * failed notice cannot fail a claim that already took keys from the other devices.
 */
export function noticeThrottledClaims(deviceIds: string[]): void {
  runAfterAnswer("key-claims-throttled-notice", async () => {
    let queued = false;
    for (const deviceId of deviceIds) {
      queued =
        (await prisma.$transaction(async (tx) => {
          const notice = [{ key: `key-claims-throttled-notice:${deviceId}`, limit: KEY_CLAIMS_THROTTLED_NOTICE }];
          if ((await tryConsumeAllowances(notice, tx)) !== null) return false;
          const device = await tx.device.findUnique({
            where: { id: deviceId },
            select: { name: true, user: { select: { id: true, email: true, emailVerified: true, phoneNumber: true, phoneVerified: true } } },
          });
          if (!device) return false;
          await notifyAccountHolder(tx, device.user, keyClaimsThrottledNotice(device.name));
          await recordAudit({ action: "keys.claims_throttled", userId: device.user.id, deviceId }, tx);
          return true;
        })) || queued;
    }
    if (queued) deliverOutboxSoon();
  });
}

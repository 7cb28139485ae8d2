import { prisma } from "../db";
import { recordAudit } from "../audit";
import type { RequestContext } from "../request-context";
import type { DiscoverySettings } from "./schemas";

/** Saves who can find the account (GET /api/users/by-username, POST /api/users/lookup), audited in the same transaction. */
export async function updateDiscoverySettings(
  session: { userId: string; deviceId: string },
  settings: DiscoverySettings,
  context?: Partial<RequestContext>,
): Promise<void> {
  await prisma.$transaction(async (tx) => {
    await tx.user.update({ where: { id: session.userId }, data: settings });
    await recordAudit({ action: "user.discovery_changed", userId: session.userId, deviceId: session.deviceId, context, metadata: settings }, tx);
  });
}

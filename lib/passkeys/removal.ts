import type { Tx } from "../db";
import { recordAudit } from "../audit";
import type { RequestContext } from "../request-context";

export type RemovedPasskey = { id: string; name: string; createdAt: Date };

/** The account's passkeys, oldest first, created at or after `since` when given. */
export async function passkeysOf(tx: Tx, userId: string, since?: Date): Promise<RemovedPasskey[]> {
  return tx.passkey.findMany({
    where: { userId, ...(since ? { createdAt: { gte: since } } : {}) },
    select: { id: true, name: true, createdAt: true },
    orderBy: { createdAt: "asc" },
  });
}

/**
 * A recovery removes the passkeys that whoever took the account may have added (ADR 0064): the
 * ones named by `ids` (an undo's window, minus those its owner kept, ADR 0086), or all of them.
 * Each removal is audited as part of `reason`; the caller tells the owner by name.
 */
export async function removePasskeysForRecovery(
  tx: Tx,
  input: {
    userId: string;
    ids?: string[];
    reason: "email_change_reverted" | "phone_change_reverted" | "password_reset";
    context?: Partial<RequestContext>;
  },
): Promise<RemovedPasskey[]> {
  const passkeys = (await passkeysOf(tx, input.userId)).filter((passkey) => !input.ids || input.ids.includes(passkey.id));
  if (passkeys.length === 0) return [];
  await tx.passkey.deleteMany({ where: { id: { in: passkeys.map((passkey) => passkey.id) } } });
  await recordAudit(
    passkeys.map((passkey) => ({
      action: "passkey.removed" as const,
      userId: input.userId,
      context: input.context,
      metadata: { passkeyId: passkey.id, name: passkey.name, reason: input.reason },
    })),
    tx,
  );
  return passkeys;
}

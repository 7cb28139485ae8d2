import { prisma } from "../db";
import { recordAudit } from "../audit";
import { notFound } from "../errors";
import type { RequestContext } from "../request-context";
import { deliverOutboxSoon } from "../mail/outbox";
import { notifyAccountHolder } from "../users/notify";
import { passkeyRemovedNotice } from "../mail/templates";
import { authenticatorName } from "../passkeys/authenticators";
import type { SessionRef } from "../auth/recent-sign-in";

export type AccountPasskey = {
  id: string;
  name: string;
  /** The authenticator model where its AAGUID is a known one, else "Passkey". */
  authenticator: string;
  /** Synced by a passkey manager (usable on the owner's other devices), or bound to one device. */
  synced: boolean;
  createdAt: Date;
  lastUsedAt: Date | null;
};

const noSuchPasskey = () => notFound("No such passkey.");

/** The account's passkeys, newest first. */
export async function listAccountPasskeys(session: Pick<SessionRef, "userId">): Promise<AccountPasskey[]> {
  const passkeys = await prisma.passkey.findMany({ where: { userId: session.userId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
  return passkeys.map((passkey) => ({
    id: passkey.id,
    name: passkey.name,
    authenticator: authenticatorName(passkey.aaguid),
    synced: passkey.backedUp,
    createdAt: passkey.createdAt,
    lastUsedAt: passkey.lastUsedAt,
  }));
}

/** Renames one of the caller's own passkeys; 404 for anyone else's. */
export async function renameAccountPasskey(
  session: Pick<SessionRef, "userId" | "deviceId">,
  input: { passkeyId: string; name: string },
  context?: Partial<RequestContext>,
): Promise<void> {
  await prisma.$transaction(async (tx) => {
    const { count } = await tx.passkey.updateMany({ where: { id: input.passkeyId, userId: session.userId }, data: { name: input.name } });
    if (count !== 1) throw noSuchPasskey();
    await recordAudit(
      { action: "passkey.renamed", userId: session.userId, deviceId: session.deviceId, context, metadata: { passkeyId: input.passkeyId, name: input.name } },
      tx,
    );
  });
}

/** Removes one of the caller's own passkeys (404 for anyone else's), audits it and tells the account holder. */
export async function removeAccountPasskey(
  session: Pick<SessionRef, "userId" | "deviceId">,
  passkeyId: string,
  context?: Partial<RequestContext>,
): Promise<void> {
  await prisma.$transaction(async (tx) => {
    const removed = await tx.passkey.findFirst({ where: { id: passkeyId, userId: session.userId } });
    if (!removed) throw noSuchPasskey();
    // Only the transaction that deletes the row tells anyone: a concurrent removal is a 404.
    if ((await tx.passkey.deleteMany({ where: { id: removed.id } })).count !== 1) throw noSuchPasskey();
    await recordAudit(
      { action: "passkey.removed", userId: session.userId, deviceId: session.deviceId, context, metadata: { passkeyId, name: removed.name } },
      tx,
    );
    const user = await tx.user.findUniqueOrThrow({ where: { id: session.userId } });
    await notifyAccountHolder(tx, user, passkeyRemovedNotice(removed.name));
  });
  deliverOutboxSoon();
}

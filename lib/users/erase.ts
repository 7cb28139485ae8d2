import type { Tx } from "../db";
import type { User } from "../generated/prisma/client";
import { recordAudit, type AuditAction } from "../audit";
import { notifyAccountHolder } from "./notify";
import type { AccountNotice } from "../mail/templates";
import type { RequestContext } from "../request-context";
import { lockUser } from "./lock";
import { accountLabels, queueLabels } from "../transparency/pending";

// One way to erase an account, whoever asks (its owner in the browser or a client, or an admin):
// the last notice is queued, the audit rows that must be kept lose everything that names the
// person, and the user row goes, taking by cascade its devices (and their keys), sessions,
// passkeys, codes and links.

/**
 * Erases `user` in `tx` and records `audit` with no subject. Their remaining audit rows keep the
 * action, time, address and device (a security record) but lose their metadata, which may hold
 * addresses, names or numbers; the subject column then empties by its foreign key.
 */
export async function eraseAccount(
  tx: Tx,
  user: User,
  notice: AccountNotice,
  audit: { action: AuditAction; actorId?: string; context?: Partial<RequestContext> },
): Promise<void> {
  // The user row first, before any row under it (ADR 0067): writers of devices and keys take it
  // first too, so they wait for the erasure (and then find nothing) instead of deadlocking with it.
  await lockUser(tx, user.id);
  await notifyAccountHolder(tx, user, notice);
  await tx.$executeRaw`UPDATE audit_events SET metadata = '{}'::jsonb, user_agent = NULL WHERE user_id = ${user.id}::uuid`;
  await tx.user.delete({ where: { id: user.id } });
  await queueLabels(tx, accountLabels(user));
  await recordAudit({ action: audit.action, actorId: audit.actorId, context: audit.context }, tx);
}

import { prisma, type Tx } from "../db";
import { AppError } from "../errors";
import { consumeLinkToken, findUsableLinkToken } from "../verification/links";
import type { LinkToken } from "../generated/prisma/client";
import { recordAudit } from "../audit";
import { revokeAllSessions } from "../auth/sessions";
import { revokeDevice } from "../devices/devices";
import { deliverOutboxSoon } from "../mail/outbox";
import { notifyAccountHolder } from "../users/notify";
import { passkeysOf, removePasskeysForRecovery, type RemovedPasskey } from "../passkeys/removal";
import { disableTwoStep } from "../two-step/two-step";
import type { RequestContext } from "../request-context";
import { contactChangeRevertedNotice, type RevertSummary } from "../mail/templates";
import { isUniqueViolation } from "../db/unique-violation";
import { lockUser } from "../users/lock";
import { evictUnconfirmedSignUp } from "../users/unconfirmed";

// The undo link of an email change (mailed to the old address, or texted to the number of an
// account that had none) or of a phone change (texted to the old number) gives the account back
// to whoever held that contact (ADRs 0017, 0063, 0064, 0078). Whoever took the account may have
// prepared their way back before making the change, so the undo reaches back UNDO_LOOKBACK before
// the change, not only to the change itself.

/** How far before the change the undo removes what was added (ADR 0086). */
export const UNDO_LOOKBACK_MS = 7 * 24 * 3600 * 1000;

/**
 * What a person at the link may keep; everything else in the window is undone. `phone` picks the
 * number to end with: "keep" today's, "none", or one of the plan's `choices` (default: `before`).
 */
export type KeptByOwner = { passkeyIds?: string[]; twoStep?: boolean; password?: boolean; phone?: string };

/** What an undo would remove: the revert page lists it, the undo does it (minus what the owner keeps). */
export type UndoPlan = {
  /** The start of the window: UNDO_LOOKBACK before the change. */
  since: Date;
  passkeys: RemovedPasskey[];
  /** Devices created in the window, and every messaging device (all are left signed out: ADR 0065). */
  devices: { id: string; name: string; createdAt: Date }[];
  /** Two-step verification turned on, or its recovery codes made, in the window. */
  twoStep: { since: Date } | null;
  /** A password set or changed in the window. */
  password: { since: Date } | null;
  /**
   * The number the account had before the window, when it differs from today's, and every other
   * number the account had in the window (each verified by a code): the owner may pick theirs.
   */
  phone: { before: string | null; now: string | null; choices: string[] } | null;
};

const REVERT_PURPOSES = ["EMAIL_CHANGE_REVERT", "PHONE_CHANGE_REVERT"] as const;

const invalidRevertLink = () => new AppError("invalid_link", "This link has expired or has already been used.", 400);

/** What the undo link would remove, read without using the link; null when the link no longer works. */
export async function revertPreview(token: string): Promise<(UndoPlan & { kind: "email" | "phone"; email: string | null }) | null> {
  for (const purpose of REVERT_PURPOSES) {
    const link = await findUsableLinkToken(token, purpose);
    if (!link) continue;
    const user = await prisma.user.findUniqueOrThrow({ where: { id: link.userId } });
    return { ...(await undoPlan(prisma, user, link)), kind: purpose === "EMAIL_CHANGE_REVERT" ? "email" : "phone", email: link.email };
  }
  return null;
}

async function undoPlan(
  db: Tx,
  user: { id: string; phoneNumber: string | null; password: string | null; passwordChangedAt: Date | null },
  link: LinkToken,
): Promise<UndoPlan> {
  const since = new Date(link.createdAt.getTime() - UNDO_LOOKBACK_MS);
  const [passkeys, devices, twoStep, newestRecoveryCode, numbers] = await Promise.all([
    passkeysOf(db, user.id, since),
    db.device.findMany({
      where: { userId: user.id, revoked: false, OR: [{ createdAt: { gte: since } }, { kind: "CLIENT" }] },
      select: { id: true, name: true, createdAt: true },
      orderBy: { createdAt: "asc" },
    }),
    db.twoStep.findUnique({ where: { userId: user.id }, select: { enabledAt: true, createdAt: true } }),
    db.recoveryCode.findFirst({ where: { userId: user.id }, orderBy: { createdAt: "desc" }, select: { createdAt: true } }),
    numbersInWindow(db, user, since, link),
  ]);
  // A setup left unfinished is dropped too: its secret is someone's, and it could be finished later.
  const twoStepChangedAt = twoStep ? (twoStep.enabledAt ?? twoStep.createdAt) : null;
  const latestTwoStepChange = [twoStepChangedAt, newestRecoveryCode?.createdAt].filter((date): date is Date => !!date && date >= since);
  return {
    since,
    passkeys,
    devices,
    twoStep: twoStep && latestTwoStepChange.length ? { since: latestTwoStepChange[0]! } : null,
    password: user.password && user.passwordChangedAt && user.passwordChangedAt >= since ? { since: user.passwordChangedAt } : null,
    phone:
      numbers.before === user.phoneNumber
        ? null
        : { before: numbers.before, now: user.phoneNumber, choices: numbers.seen.filter((number) => number !== user.phoneNumber) },
  };
}

/**
 * The number the account had when the window began: the `from` of the first audited phone change
 * in the window (phone changes are the only way a number changes after sign-up), else the number
 * the link remembers (the one its change replaced or kept), which is today's when nothing changed.
 * With it, every number the account had in the window, oldest first.
 */
async function numbersInWindow(db: Tx, user: { id: string }, since: Date, link: LinkToken): Promise<{ before: string | null; seen: string[] }> {
  const changes = await db.auditEvent.findMany({
    where: { userId: user.id, action: "user.phone_changed", createdAt: { gte: since } },
    orderBy: { createdAt: "asc" },
    select: { metadata: true },
  });
  const numbers = changes.map((change) => change.metadata as { from?: unknown; to?: unknown });
  const asNumber = (value: unknown) => (typeof value === "string" ? value : null);
  const before = numbers.length ? asNumber(numbers[0]!.from) : link.phoneNumber;
  const seen = [before, link.phoneNumber, ...numbers.flatMap((change) => [asNumber(change.from), asNumber(change.to)])];
  return { before, seen: [...new Set(seen.filter((number): number is string => number !== null))] };
}

/** The number the owner chose to end with (see KeptByOwner), as a change to make, or null for none. */
function chosenPhone(plan: UndoPlan["phone"], choice: string | undefined): { before: string | null; now: string | null } | null {
  if (!plan || choice === "keep") return null;
  if (choice === undefined) return plan;
  if (choice === "none") return { before: null, now: plan.now };
  if (!plan.choices.includes(choice)) throw new AppError("invalid_phone_choice", "Choose one of the numbers listed.", 400, { field: "phone" });
  return { before: choice, now: plan.now };
}

async function consumeRevertLink(tx: Tx, token: string): Promise<LinkToken> {
  for (const purpose of REVERT_PURPOSES) {
    const link = await consumeLinkToken(tx, token, purpose);
    if (link) return link;
  }
  throw invalidRevertLink();
}

/**
 * Undoes a takeover in one transaction: restores the address the link remembers (none, for an
 * account that had none) and the number the account had before the window; removes, unless the
 * owner keeps them, the passkeys, two-step verification and password added in the window; voids
 * every open code and link of the account; ends every session; revokes the devices created in
 * the window and every messaging device (all now signed out) with their keys; and tells the
 * restored holder what was undone. Single use. Undo links from changes made after this one die
 * with it; older ones stay, so whoever changed a contact twice cannot use the second notice to
 * void the first (the rightful owner's).
 */
export async function revertContactChange(
  token: string,
  kept: KeptByOwner = {},
  context?: Partial<RequestContext>,
): Promise<{ email: string | null; phoneNumber: string | null }> {
  try {
    const restored = await prisma.$transaction(async (tx) => {
      const link = await consumeRevertLink(tx, token);
      const user = await lockUser(tx, link.userId);
      const plan = await undoPlan(tx, user, link);
      // A sign-up started for the old address since the change does not block the way back (ADR 0075).
      const evicted = link.email ? await evictUnconfirmedSignUp(tx, { email: link.email }) : false;
      const owner = link.email ? await tx.user.findUnique({ where: { email: link.email }, select: { id: true } }) : null;
      if (owner && owner.id !== user.id) throw revertUnavailable();
      const target = chosenPhone(plan.phone, kept.phone);
      const phone = target && target.before !== target.now ? await restoredPhone(tx, target) : null;
      const clearPassword = plan.password !== null && !kept.password;
      await tx.user.update({
        where: { id: user.id },
        data: {
          email: link.email,
          emailVerified: link.email !== null,
          ...(phone ? { phoneNumber: phone.restored, phoneVerified: phone.restored !== null } : {}),
          ...(clearPassword ? { password: null, passwordChangedAt: new Date() } : {}),
        },
      });
      await voidOpenCodesAndLinks(tx, user.id, link);
      const sessionsEnded = await revokeAllSessions(user.id, tx);
      for (const device of plan.devices) await revokeDevice({ userId: user.id, deviceId: device.id, context }, tx);
      const keptPasskeys = new Set(kept.passkeyIds ?? []);
      const passkeys = await removePasskeysForRecovery(tx, {
        userId: user.id,
        ids: plan.passkeys.filter((passkey) => !keptPasskeys.has(passkey.id)).map((passkey) => passkey.id),
        reason: link.purpose === "PHONE_CHANGE_REVERT" ? "phone_change_reverted" : "email_change_reverted",
        context,
      });
      const twoStepOff = plan.twoStep !== null && !kept.twoStep && (await disableTwoStep(tx, user.id, context ?? {}));
      const undone: RevertSummary = {
        restoredEmail: link.email,
        replacedEmail: user.email === link.email ? null : user.email,
        phone,
        revokedDevices: plan.devices.map((device) => device.name),
        removedPasskeys: passkeys,
        twoStepTurnedOff: twoStepOff,
        passwordCleared: clearPassword,
        sessionsEnded,
      };
      await recordAudit(
        {
          action: link.purpose === "PHONE_CHANGE_REVERT" ? "user.phone_change_reverted" : "user.email_change_reverted",
          userId: user.id,
          context,
          metadata: {
            from: user.email,
            to: link.email,
            since: plan.since.toISOString(),
            sessionsEnded,
            devicesRevoked: plan.devices.length,
            passkeysRemoved: passkeys.length,
            phoneRestored: phone !== null,
            twoStepTurnedOff: twoStepOff,
            passwordCleared: clearPassword,
            ...(evicted ? { unconfirmedSignUpRemoved: true } : {}),
          },
        },
        tx,
      );
      const after = await tx.user.findUniqueOrThrow({ where: { id: user.id } });
      await notifyAccountHolder(tx, after, contactChangeRevertedNotice(undone));
      return { email: after.email, phoneNumber: after.phoneNumber };
    });
    deliverOutboxSoon();
    return restored;
  } catch (error) {
    if (isUniqueViolation(error)) throw revertUnavailable();
    throw error;
  }
}

/**
 * The number to put back and the one it replaces. A number that meanwhile belongs to another
 * account cannot come back: the account then keeps none, rather than the one set since.
 */
async function restoredPhone(tx: Tx, phone: { before: string | null; now: string | null }): Promise<RevertSummary["phone"]> {
  if (phone.before) await evictUnconfirmedSignUp(tx, { phoneNumber: phone.before });
  const holder = phone.before ? await tx.user.findUnique({ where: { phoneNumber: phone.before }, select: { id: true } }) : null;
  return { restored: holder ? null : phone.before, replaced: phone.now };
}

/**
 * Every code and link of the account stops working (resets, sign-ins, sign-ups, changes), except
 * undo links older than this one: the rightful owner's way back if a contact changed twice.
 */
async function voidOpenCodesAndLinks(tx: Tx, userId: string, revert: { id: string; createdAt: Date }): Promise<void> {
  const now = new Date();
  await tx.oneTimeCode.updateMany({ where: { userId, usedAt: null, expiresAt: { gt: now } }, data: { expiresAt: now } });
  await tx.linkToken.updateMany({
    where: {
      userId,
      usedAt: null,
      expiresAt: { gt: now },
      id: { not: revert.id },
      NOT: { purpose: { in: [...REVERT_PURPOSES] }, createdAt: { lt: revert.createdAt } },
    },
    data: { expiresAt: now },
  });
}

const revertUnavailable = () =>
  new AppError("email_unavailable", "That address now belongs to another account, so it cannot be restored. Contact support.", 409);

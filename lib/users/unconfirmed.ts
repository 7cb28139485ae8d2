import type { Tx } from "../db";
import { unconfirmedSignUp } from "../db/unconfirmed-sign-up";

// ADR 0075: an unconfirmed sign-up never owns an address or number. Whoever proves they hold it
// (an email or phone change's code, the undo link of an email change) takes it, and the sign-up
// that held it is deleted, so one sign-up request cannot block someone else's change or way back.

type Holder = { email: string } | { phoneNumber: string };

/** The account that owns this address or number: it holds it and is not an unconfirmed sign-up. */
export async function findOwner(tx: Tx, holder: Holder): Promise<{ id: string } | null> {
  return tx.user.findFirst({ where: { ...holder, NOT: unconfirmedSignUp }, select: { id: true } });
}

/**
 * Deletes the unconfirmed sign-up holding this address or number, if one does (its codes and
 * links go with it). One statement: a sign-up confirmed a moment earlier no longer matches and
 * stays. Returns whether one was deleted.
 */
export async function evictUnconfirmedSignUp(tx: Tx, holder: Holder): Promise<boolean> {
  const { count } = await tx.user.deleteMany({ where: { ...holder, ...unconfirmedSignUp } });
  return count > 0;
}

import { prisma } from "../db";
import { AppError } from "../errors";
import { verifyPassword } from "../auth/password";
import { assertWindowOpen, lockKey, recordHit } from "../rate-limit";
import { SIGN_IN_LIMITS } from "../limits";

// A stolen browser session must not become a password-guessing oracle: 5 wrong passwords in 15
// minutes stop password checks for that account until the oldest leaves the window. Sign-in has
// its own budget per identifier (lib/accounts/password-sign-in.ts, docs/decisions/0014). Both are
// in lib/limits.ts (SIGN_IN_LIMITS).

const failureKey = (userId: string) => `settings:password-fail:${userId}`;

/**
 * Checks a password the signed-in user typed to prove who they are. A wrong one is a field error
 * on `field`, counted in a transaction of its own, so no caller's rollback can undo the count.
 */
export async function assertOwnPassword(
  user: { id: string; password: string | null },
  password: string,
  field: string,
): Promise<void> {
  const key = failureKey(user.id);
  // Checks of one account queue on a lock, so concurrent guesses cannot slip past the count.
  const ok = await prisma.$transaction(
    async (tx) => {
      await lockKey(key, tx);
      await assertWindowOpen(key, SIGN_IN_LIMITS.ownPasswordGuesses, tx);
      const check = user.password ? await verifyPassword(user.password, password) : { ok: false };
      if (!check.ok) await recordHit(key, tx);
      return check.ok;
    },
    { maxWait: 15_000, timeout: 15_000 },
  );
  if (!ok) throw new AppError("wrong_password", "That is not your password.", 400, { field });
}

import { prisma } from "../db";
import { AppError, RateLimitedError } from "../errors";
import { verifyPassword } from "../auth/password";
import { countWindow, lockKey, recordHit } from "../rate-limit";

// A stolen browser session must not become a password-guessing oracle: 5 wrong passwords in 15
// minutes stop password checks for that account until the oldest leaves the window.
const FAILURES_ALLOWED = 5;
const FAILURE_WINDOW_SECONDS = 15 * 60;

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
      const { count, oldest } = await countWindow(key, FAILURE_WINDOW_SECONDS, tx);
      if (count >= FAILURES_ALLOWED && oldest) {
        throw new RateLimitedError(Math.max(1, Math.ceil((oldest.getTime() + FAILURE_WINDOW_SECONDS * 1000 - Date.now()) / 1000)));
      }
      const check = user.password ? await verifyPassword(user.password, password) : { ok: false };
      if (!check.ok) await recordHit(key, tx);
      return check.ok;
    },
    { maxWait: 15_000, timeout: 15_000 },
  );
  if (!ok) throw new AppError("wrong_password", "That is not your password.", 400, { field });
}

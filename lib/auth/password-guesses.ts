import { prisma } from "../db";
import { RateLimitedError } from "../errors";
import { rateLimitSubject } from "../http/client-address";
import { SIGN_IN_LIMITS } from "../limits";
import { countWindow, lockKey, secondsUntilOldestLeaves } from "../rate-limit";

// Password guesses against one account (ADR 0076). Counted per requester (IP address, or its /64)
// and account, and on failures only, so strangers' wrong guesses never refuse the owner's correct
// password; and per account across requesters, a cap that slows guessing from many addresses
// without locking the owner out.

const requesterKey = (destination: string, ip: string) => `password-fail:${rateLimitSubject(ip)}:${destination}`;
const accountKey = (destination: string) => `password-fail:${destination}`;

/**
 * Reserves one failed guess before the password is checked (so concurrent guesses cannot all
 * pass a count that none has added to yet) and returns the release to call when the password was
 * right. Refused: a requester with its own failures used up; and, once the account's failures
 * from everyone reach their cap, a requester that has failed against it recently. A requester
 * with no failure there still gets its try, which is how the owner gets in during an attack.
 */
export async function reservePasswordGuess(destination: string, ip: string): Promise<() => Promise<void>> {
  const { perRequester, perAccount } = SIGN_IN_LIMITS.passwordFailures;
  const keys = [requesterKey(destination, ip), accountKey(destination)];
  const ids = await prisma.$transaction(async (tx) => {
    await lockKey(accountKey(destination), tx);
    const mine = await countWindow(keys[0]!, perRequester.windowSeconds, tx);
    if (mine.count >= perRequester.limit) throw new RateLimitedError(secondsUntilOldestLeaves(mine.oldest, perRequester.windowSeconds));
    const everyone = await countWindow(keys[1]!, perAccount.windowSeconds, tx);
    if (everyone.count >= perAccount.limit && mine.count > 0) {
      throw new RateLimitedError(secondsUntilOldestLeaves(everyone.oldest, perAccount.windowSeconds));
    }
    return tx.$queryRaw<{ id: bigint }[]>`
      INSERT INTO rate_limit_hits (key, created_at) SELECT key, clock_timestamp() FROM unnest(${keys}::text[]) AS key RETURNING id`;
  });
  return async () => {
    await prisma.$executeRaw`DELETE FROM rate_limit_hits WHERE id = ANY(${ids.map((row) => row.id)}::bigint[])`;
  };
}

import { isWriteConflict } from "../faults";

/**
 * Runs `transaction` again when PostgreSQL rolled it back as the loser of a deadlock or a
 * serialization failure, a bounded number of times (ADR 0067). Lock order keeps these rare; the
 * retry keeps the rare one from reaching a person as a 500. `transaction` must be a whole
 * transaction: nothing of a rolled-back attempt survives, so running it again is safe.
 */
export async function retryWriteConflicts<T>(transaction: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await transaction();
    } catch (error) {
      if (attempt >= attempts || !isWriteConflict(error)) throw error;
    }
  }
}

/**
 * True for PostgreSQL's unique violation as Prisma reports it (P2002). A check before a write
 * cannot see a row another transaction commits in between; the constraint can, so every change
 * onto a unique value maps this error to the same answer as the check.
 */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2002";
}

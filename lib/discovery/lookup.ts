import { prisma, type Tx } from "../db";
import { Prisma } from "../generated/prisma/client";
import { notFound } from "../errors";
import { consumeAllowances, type Allowance } from "../rate-limit";

// How messaging clients find people (ADR 0046). Whether a person exists, turned discovery off or
// is deactivated, each lookup is one statement whose plan and rows read do not depend on the
// answer: the statement itself filters, so Node never branches on a row it will not hand out.
// The same statement adds the lookup to today's counters for the admin (lib/admin/metrics.ts).

/** Names of the daily_metrics counters that discovery writes, read by the admin metrics. */
export const LOOKUP_METRICS = {
  usernameLookups: "username_lookups",
  usernameMatches: "username_matches",
  phoneLookups: "phone_lookups",
  phoneNumbersLookedUp: "phone_numbers_looked_up",
  phoneMatches: "phone_matches",
} as const;

/** A CTE that adds each `[name, amount]` to today's (UTC) counter; `amount` may read `found`. */
function countedToday(counters: [string, Prisma.Sql][]): Prisma.Sql {
  const rows = counters.map(([name, amount]) => Prisma.sql`(${name}::text, (${amount})::int)`);
  return Prisma.sql`counted AS (
    INSERT INTO daily_metrics (day, name, count)
    SELECT (clock_timestamp() AT TIME ZONE 'UTC')::date, counter.name, counter.amount
    FROM (VALUES ${Prisma.join(rows)}) AS counter(name, amount)
    ON CONFLICT (day, name) DO UPDATE SET count = daily_metrics.count + excluded.count
  )`;
}

const matchesOfFound = Prisma.sql`SELECT count(*) FROM found`;

/** The id of the active person with `username` (already lower case) who can be found by it; else 404. */
export async function findUserIdByUsername(username: string, db: Tx = prisma): Promise<{ userId: string }> {
  const rows = await db.$queryRaw<{ user_id: string }[]>`
    WITH found AS (
      SELECT id FROM users WHERE username = ${username} AND discoverable_by_username AND is_active
    ), ${countedToday([
      [LOOKUP_METRICS.usernameLookups, Prisma.sql`1`],
      [LOOKUP_METRICS.usernameMatches, matchesOfFound],
    ])}
    SELECT id::text AS user_id FROM found`;
  if (!rows[0]) throw notFound("No one can be found by that username.");
  return { userId: rows[0].user_id };
}

type PhoneMatch = { phoneNumber: string; userId: string };

/**
 * The people among `phoneNumbers` (E.164, distinct) who verified that number and let people who
 * have it find them, in the order asked. The caller's allowances are charged one unit per number,
 * in the same transaction, before anything is read.
 */
export async function findUsersByPhoneNumbers(phoneNumbers: string[], allowances: Allowance[]): Promise<PhoneMatch[]> {
  return prisma.$transaction(async (tx) => {
    await consumeAllowances(
      allowances.map((allowance) => ({ ...allowance, cost: phoneNumbers.length })),
      tx,
    );
    return tx.$queryRaw<PhoneMatch[]>`
      WITH found AS (
        SELECT id, phone_number FROM users
        WHERE phone_number = ANY(${phoneNumbers}::text[]) AND phone_verified AND discoverable_by_phone AND is_active
      ), ${countedToday([
        [LOOKUP_METRICS.phoneLookups, Prisma.sql`1`],
        [LOOKUP_METRICS.phoneNumbersLookedUp, Prisma.sql`${phoneNumbers.length}`],
        [LOOKUP_METRICS.phoneMatches, matchesOfFound],
      ])}
      SELECT phone_number AS "phoneNumber", id::text AS "userId" FROM found
      ORDER BY array_position(${phoneNumbers}::text[], phone_number)`;
  });
}

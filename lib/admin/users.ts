import { z } from "zod";
import { prisma } from "../db";
import { Prisma, type Role } from "../generated/prisma/client";
import { userText } from "../validation/text";
import { recordAudit } from "../audit";
import type { RequestContext } from "../request-context";

// The admin user list: search, one filter, a sort and offset pages, as one SQL statement that the
// indexes of the admin_search migration serve (trigram GIN for substring search, (flag, created_at)
// per filter). The page asks for one row more than it shows to know whether a next page exists,
// so no count(*) over the whole table is ever needed.

export const USER_FILTERS = ["all", "unverified", "incomplete", "inactive", "admin"] as const;
export const USER_SORTS = ["newest", "oldest", "email", "last_sign_in"] as const;
export const USERS_PAGE_SIZE = 25;
/** Trigram search needs three characters to narrow anything down. */
export const MIN_SEARCH_LENGTH = 3;

type UserFilter = (typeof USER_FILTERS)[number];
type UserSort = (typeof USER_SORTS)[number];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The list's query string (?q=&filter=&sort=&page=), shared by the page and its search form. */
export const userListQuerySchema = z.object({
  q: userText()
    .trim()
    .max(200)
    .refine((value) => value === "" || value.length >= MIN_SEARCH_LENGTH || UUID.test(value), {
      message: `Type at least ${MIN_SEARCH_LENGTH} characters.`,
    })
    .catch("")
    .default(""),
  filter: z.enum(USER_FILTERS).catch("all").default("all"),
  sort: z.enum(USER_SORTS).catch("newest").default("newest"),
  page: z.coerce.number().int().min(1).max(100_000).catch(1).default(1),
});

export type UserListQuery = z.output<typeof userListQuerySchema>;

export type UserListRow = {
  id: string;
  email: string | null;
  phoneNumber: string | null;
  username: string | null;
  fullName: string | null;
  role: Role;
  emailVerified: boolean;
  phoneVerified: boolean;
  isProfileComplete: boolean;
  isActive: boolean;
  createdAt: Date;
  lastLoginAt: Date | null;
};

const FILTER_SQL: Record<UserFilter, Prisma.Sql> = {
  all: Prisma.sql`TRUE`,
  unverified: Prisma.sql`NOT email_verified AND NOT phone_verified`,
  incomplete: Prisma.sql`NOT is_profile_complete`,
  inactive: Prisma.sql`NOT is_active`,
  admin: Prisma.sql`role = 'ADMIN'`,
};

// "Recently signed in" lists people who have signed in: the last_login_at index serves it only
// without the never-signed-in rows, and they have nothing to sort by anyway.
const SORT_SQL: Record<UserSort, { where: Prisma.Sql; orderBy: Prisma.Sql }> = {
  newest: { where: Prisma.sql`TRUE`, orderBy: Prisma.sql`created_at DESC, id DESC` },
  oldest: { where: Prisma.sql`TRUE`, orderBy: Prisma.sql`created_at ASC, id ASC` },
  email: { where: Prisma.sql`email IS NOT NULL`, orderBy: Prisma.sql`email ASC` },
  last_sign_in: { where: Prisma.sql`last_login_at IS NOT NULL`, orderBy: Prisma.sql`last_login_at DESC, id DESC` },
};

const escapeLike = (value: string) => value.replace(/[\\%_]/g, (character) => `\\${character}`);

/**
 * Matches an id exactly, else a substring of email, username or phone number (digits only). A
 * query written like a phone number ("+1 (555) 000-4") can only be one: spaces and parentheses
 * appear in no email or username, so only phone numbers are searched.
 */
function searchSql(q: string): Prisma.Sql {
  if (!q) return Prisma.sql`TRUE`;
  if (UUID.test(q)) return Prisma.sql`id = ${q.toLowerCase()}::uuid`;
  const digits = /^[+\d\s().-]+$/.test(q) ? q.replace(/\D/g, "") : "";
  const phone = digits.length >= MIN_SEARCH_LENGTH ? Prisma.sql`phone_number LIKE ${`%${digits}%`}` : null;
  if (phone && /[\s()]/.test(q)) return phone;
  // Email and username are stored lower-case, so a lower-cased LIKE is case-insensitive.
  const pattern = `%${escapeLike(q.toLowerCase())}%`;
  return Prisma.sql`(email LIKE ${pattern} OR username LIKE ${pattern}${phone ? Prisma.sql` OR ${phone}` : Prisma.empty})`;
}

/** The list's SQL (exported so a test can check its plan). */
export function userListSql(query: UserListQuery): Prisma.Sql {
  const sort = SORT_SQL[query.sort];
  return Prisma.sql`
    SELECT id, email, phone_number AS "phoneNumber", username, full_name AS "fullName", role,
      email_verified AS "emailVerified", phone_verified AS "phoneVerified",
      is_profile_complete AS "isProfileComplete", is_active AS "isActive",
      created_at AS "createdAt", last_login_at AS "lastLoginAt"
    FROM users
    WHERE ${searchSql(query.q)} AND ${FILTER_SQL[query.filter]} AND ${sort.where}
    ORDER BY ${sort.orderBy}
    LIMIT ${USERS_PAGE_SIZE + 1} OFFSET ${(query.page - 1) * USERS_PAGE_SIZE}`;
}

export async function listUsers(query: UserListQuery): Promise<{ users: UserListRow[]; hasNextPage: boolean }> {
  const rows = await prisma.$queryRaw<UserListRow[]>(userListSql(query));
  return { users: rows.slice(0, USERS_PAGE_SIZE), hasNextPage: rows.length > USERS_PAGE_SIZE };
}

/**
 * The admin's search, written to the audit log first (ADR 0074): what was searched for, by whom.
 * Browsing the unfiltered list leaves no row; every query that names someone does.
 */
export async function searchUsers(actorId: string, query: UserListQuery, context?: Partial<RequestContext>) {
  if (query.q) {
    await recordAudit({
      action: "admin.users_searched",
      actorId,
      context,
      metadata: { q: query.q, filter: query.filter, sort: query.sort, page: query.page },
    });
  }
  return listUsers(query);
}

/** One account's details for an admin, leaving an audit row of who looked at whom (ADR 0074). */
export async function viewUserDetail(actorId: string, userId: string, context?: Partial<RequestContext>) {
  const user = await getUserDetail(userId);
  if (!user) return null;
  await recordAudit({ action: "admin.user_viewed", userId: user.id, actorId, context });
  return user;
}

/** How many of a user's audit events the detail page shows. */
export const USER_AUDIT_EVENTS = 50;

/** One account for the admin's user page: profile, every device with its key stock, live sessions, audit trail. */
export async function getUserDetail(userId: string) {
  if (!UUID.test(userId)) return null;
  const user = await prisma.user.findUnique({
    where: { id: userId },
    include: {
      devices: {
        orderBy: [{ revoked: "asc" }, { lastSeenAt: { sort: "desc", nulls: "last" } }, { createdAt: "desc" }],
        include: {
          identityKey: { select: { registrationId: true } },
          _count: { select: { oneTimePreKeys: { where: { used: false } }, kyberPreKeys: { where: { used: false } } } },
        },
      },
      sessions: {
        where: { expiresAt: { gt: new Date() } },
        orderBy: { lastSeenAt: "desc" },
        select: { id: true, deviceId: true, ip: true, userAgent: true, createdAt: true, lastSeenAt: true, expiresAt: true },
      },
      // Only whether it is on: the secret never leaves the two-step domain.
      twoStep: { select: { enabledAt: true } },
      identities: { select: { provider: true, email: true, linkedAt: true }, orderBy: { linkedAt: "asc" } },
      auditEvents: {
        orderBy: { createdAt: "desc" },
        take: USER_AUDIT_EVENTS,
        include: { actor: { select: { id: true, email: true } } },
      },
    },
  });
  if (!user) return null;
  // The hash never leaves this function; the page only says whether there is one.
  const { password, twoStep, ...profile } = user;
  return { ...profile, hasPassword: password !== null, twoStepOn: Boolean(twoStep?.enabledAt) };
}


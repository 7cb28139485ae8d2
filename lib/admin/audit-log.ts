import { z } from "zod";
import { prisma } from "../db";
import { AUDIT_ACTIONS } from "../audit";
import type { Prisma } from "../generated/prisma/client";
import { plausibleInstant, userText } from "../validation/text";

// The whole audit log for /admin/audit: filter by actor, target (each an email or an id), action
// and time, newest first, in keyset pages (createdAt, id) so the thousandth page costs what the
// first does. The indexes (actor|user|action, created_at desc) of the schema serve each filter.

export const AUDIT_PAGE_SIZE = 50;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const optionalText = userText().trim().max(320).optional().catch(undefined).transform((value) => value || undefined);
// z.iso.date() accepts 0000-01-01, which PostgreSQL cannot compare with: out-of-range days are ignored.
const optionalDate = z.iso.date().refine((day) => plausibleInstant(`${day}T00:00:00Z`) !== null).optional().catch(undefined);
const CURSOR = /^(\d{4}-\d{2}-\d{2}T[\d:.]+Z)_([0-9a-f-]{36})$/i;

/** The log's query string (?actor=&target=&action=&from=&to=&before=). */
export const auditLogQuerySchema = z.object({
  actor: optionalText,
  target: optionalText,
  action: z.enum(AUDIT_ACTIONS).optional().catch(undefined),
  /** First UTC day shown, YYYY-MM-DD. */
  from: optionalDate,
  /** Last UTC day shown, YYYY-MM-DD. */
  to: optionalDate,
  /** Cursor: the page starts after this event (`<ISO time>_<id>`). */
  before: z
    .string()
    .refine((cursor) => {
      const [, instant, id] = CURSOR.exec(cursor) ?? [];
      return instant !== undefined && plausibleInstant(instant) !== null && UUID.test(id!);
    })
    .optional()
    .catch(undefined),
});

export type AuditLogQuery = z.output<typeof auditLogQuerySchema>;

/** An email or id names one account; an unknown one matches no event (not every event). */
async function accountId(emailOrId: string | undefined): Promise<string | null | undefined> {
  if (!emailOrId) return undefined;
  if (UUID.test(emailOrId)) return emailOrId.toLowerCase();
  const user = await prisma.user.findUnique({ where: { email: emailOrId.toLowerCase() }, select: { id: true } });
  return user?.id ?? null;
}

const NO_MATCH = "00000000-0000-0000-0000-000000000000";

function cursorCondition(before: string | undefined): Prisma.AuditEventWhereInput {
  if (!before) return {};
  const separator = before.lastIndexOf("_");
  const createdAt = new Date(before.slice(0, separator));
  const id = before.slice(separator + 1);
  return { OR: [{ createdAt: { lt: createdAt } }, { createdAt, id: { lt: id } }] };
}

export async function listAuditEvents(query: AuditLogQuery) {
  const [actorId, userId] = await Promise.all([accountId(query.actor), accountId(query.target)]);
  const createdAt: Prisma.DateTimeFilter = {};
  if (query.from) createdAt.gte = new Date(`${query.from}T00:00:00Z`);
  if (query.to) createdAt.lt = new Date(new Date(`${query.to}T00:00:00Z`).getTime() + 86_400_000);
  const where: Prisma.AuditEventWhereInput = {
    ...(actorId !== undefined ? { actorId: actorId ?? NO_MATCH } : {}),
    ...(userId !== undefined ? { userId: userId ?? NO_MATCH } : {}),
    ...(query.action ? { action: query.action } : {}),
    ...(query.from || query.to ? { createdAt } : {}),
    AND: [cursorCondition(query.before)],
  };
  const rows = await prisma.auditEvent.findMany({
    where,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: AUDIT_PAGE_SIZE + 1,
    include: { actor: { select: { id: true, email: true } }, user: { select: { id: true, email: true } } },
  });
  const events = rows.slice(0, AUDIT_PAGE_SIZE);
  const last = events.at(-1);
  const nextCursor = rows.length > AUDIT_PAGE_SIZE && last ? `${last.createdAt.toISOString()}_${last.id}` : null;
  return { events, nextCursor };
}


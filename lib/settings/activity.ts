import { z } from "zod";
import { prisma } from "../db";
import { AppError } from "../errors";
import { plausibleInstant } from "../validation/text";
import { ADMIN_LOOK_ACTIONS } from "../audit";

export const ACTIVITY_PAGE_SIZE = 20;

export type ActivityEvent = {
  id: string;
  action: string;
  createdAt: Date;
  ip: string | null;
  userAgent: string | null;
  deviceId: string | null;
  /** Set when someone other than the account holder did it (an admin). */
  byAdmin: boolean;
};

export type ActivityPage = { events: ActivityEvent[]; nextCursor: string | null };

// The cursor is the (createdAt, id) of the last event shown: keyset pagination stays exact and
// cheap however deep the page, and new events arriving meanwhile do not shift later pages.
function encodeCursor(event: { createdAt: Date; id: string }): string {
  return Buffer.from(`${event.createdAt.toISOString()}|${event.id}`, "utf8").toString("base64url");
}

const invalidCursor = () => new AppError("invalid_cursor", "That page of activity does not exist.", 400);

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const [iso, id] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  const createdAt = plausibleInstant(iso ?? "");
  if (!createdAt || !z.uuid().safeParse(id).success) throw invalidCursor();
  return { createdAt, id: id! };
}

/** The account's own security events, newest first, one page after `cursor`. */
export async function listSecurityActivity(
  userId: string,
  options: { cursor?: string | null; limit?: number } = {},
): Promise<ActivityPage> {
  const limit = Math.min(Math.max(options.limit ?? ACTIVITY_PAGE_SIZE, 1), 100);
  const after = options.cursor ? decodeCursor(options.cursor) : null;
  const rows = await prisma.auditEvent.findMany({
    where: {
      userId,
      action: { notIn: ADMIN_LOOK_ACTIONS },
      ...(after
        ? { OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] }
        : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit + 1,
  });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    events: page.map((row) => ({
      id: row.id,
      action: row.action,
      createdAt: row.createdAt,
      ip: row.ip,
      userAgent: row.userAgent,
      deviceId: row.deviceId,
      byAdmin: row.actorId !== null && row.actorId !== userId,
    })),
    nextCursor: rows.length > limit && last ? encodeCursor(last) : null,
  };
}

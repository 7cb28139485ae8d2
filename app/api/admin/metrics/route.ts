import { getAdminMetrics } from "@/lib/admin/metrics";
import { errorResponse, jsonResponse } from "@/lib/api/responses";
import { getCurrentSession } from "@/lib/auth/current";
import { authenticateBearerToken } from "@/lib/auth/sessions";
import { notFound, unauthorized } from "@/lib/errors";
import type { Role } from "@/lib/generated/prisma/client";

// GET /api/admin/metrics: the dashboard's figures as JSON, for a scraper holding an admin's bearer
// token or for an admin's browser session. No credentials: 401. Anyone but an active admin: 404,
// as for the admin pages. A bearer header, when present, is the only credential considered.
export const dynamic = "force-dynamic";

async function callerRole(request: Request): Promise<Role | null> {
  const header = request.headers.get("authorization");
  if (header !== null) {
    const match = /^Bearer ([A-Za-z0-9_-]{1,128})$/.exec(header);
    return match ? ((await authenticateBearerToken(match[1]!))?.role ?? null) : null;
  }
  return (await getCurrentSession())?.user.role ?? null;
}

export async function GET(request: Request): Promise<Response> {
  try {
    const role = await callerRole(request);
    if (!role) throw unauthorized("Send an admin's bearer token (Authorization: Bearer <token>) or sign in.");
    if (role !== "ADMIN") throw notFound();
    return jsonResponse(await getAdminMetrics(), 200, { "Cache-Control": "no-store" });
  } catch (error) {
    return errorResponse(error);
  }
}

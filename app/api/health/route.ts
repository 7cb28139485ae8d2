import { errorResponse, jsonResponse } from "@/lib/api/responses";
import { checkReadiness } from "@/lib/db/readiness";
import { AppError } from "@/lib/errors";

export const dynamic = "force-dynamic";

/**
 * Readiness, for load balancers: 200 when this instance can serve (database reachable, every
 * migration applied), 503 otherwise. Liveness without the database is /api/health/live.
 */
export async function GET() {
  try {
    const readiness = await checkReadiness();
    if (!readiness.ready) throw new AppError("service_unavailable", `Not ready: ${readiness.reason}.`, 503);
    return jsonResponse({ status: "ok" });
  } catch (error) {
    return errorResponse(error);
  }
}

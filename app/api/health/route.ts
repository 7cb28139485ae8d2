import { prisma } from "@/lib/db";

export const dynamic = "force-dynamic";

/** Liveness and database reachability, for load balancers and the e2e harness. */
export async function GET() {
  await prisma.$queryRaw`SELECT 1`;
  return Response.json({ status: "ok" });
}

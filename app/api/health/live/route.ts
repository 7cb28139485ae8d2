export const dynamic = "force-dynamic";

/** Liveness: the process serves HTTP. Touches nothing else, so it stays cheap and up in an outage. */
export function GET() {
  return Response.json({ status: "ok" });
}

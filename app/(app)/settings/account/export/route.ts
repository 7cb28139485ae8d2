import { getCurrentSession } from "@/lib/auth/current";
import { exportAccountData } from "@/lib/accounts/data-export";

/** "Download your data": the signed-in person's account as a JSON file (no secret in it). */
export async function GET() {
  const session = await getCurrentSession();
  if (!session) return Response.json({ error: { code: "unauthorized", message: "Sign in to download your data." } }, { status: 401 });
  const data = await exportAccountData(session.userId);
  const day = new Date().toISOString().slice(0, 10);
  return new Response(`${JSON.stringify({ exportedAt: new Date().toISOString(), ...data }, null, 2)}\n`, {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="latchkey-data-${day}.json"`,
      "Cache-Control": "no-store",
    },
  });
}

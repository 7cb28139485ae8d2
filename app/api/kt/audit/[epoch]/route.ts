import { epochAuditToJson } from "@/packages/client/src/transparency/index";
import { transparencyAudit } from "@/lib/api/endpoints";
import { route } from "@/lib/api/route";
import { epochAudit } from "@/lib/transparency/audit-data";

export const GET = route(transparencyAudit, async ({ params }) => epochAuditToJson(await epochAudit(params.epoch)));

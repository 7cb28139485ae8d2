import { transparencyKeyList } from "@/lib/api/endpoints";
import { route } from "@/lib/api/route";
import { transparencyVkeys } from "@/lib/transparency/keys";

export const GET = route(transparencyKeyList, async () => new Response(transparencyVkeys().map((vkey) => `${vkey}\n`).join(""), { headers: { "Content-Type": "text/plain; charset=utf-8" } }));

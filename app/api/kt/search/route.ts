import { labels, searchAnswerToJson } from "@/packages/client/src/transparency/index";
import { transparencySearch } from "@/lib/api/endpoints";
import { route } from "@/lib/api/route";
import { searchLabel } from "@/lib/transparency/search";

export const POST = route(transparencySearch, async ({ body }) => searchAnswerToJson(await searchLabel(labels.deviceKeys(body.userId), body.trustedSize)));

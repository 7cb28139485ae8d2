import { transparencyCheckpoint } from "@/lib/api/endpoints";
import { route } from "@/lib/api/route";
import { newestCheckpoint } from "@/lib/transparency/search";

export const GET = route(transparencyCheckpoint, async () => ({ checkpoint: await newestCheckpoint() }));

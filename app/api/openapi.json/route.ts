import { openApiDocument as openApiEndpoint } from "@/lib/api/endpoints";
import { route } from "@/lib/api/route";
import { openApiDocument } from "@/lib/openapi";

export const GET = route(openApiEndpoint, async () => openApiDocument());

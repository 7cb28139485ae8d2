import { errorResponse } from "@/lib/api/responses";
import { notFound } from "@/lib/errors";

// Every /api path no route serves: a JSON 404 like the rest of the API instead of Next's HTML page.
function noSuchRoute() {
  return errorResponse(notFound("There is no API route at this address; see /api/openapi.json."));
}

export { noSuchRoute as GET, noSuchRoute as POST, noSuchRoute as PUT, noSuchRoute as PATCH, noSuchRoute as DELETE };

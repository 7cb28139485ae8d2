import NextAuth from "next-auth";
import { authOptions } from "@/lib/auth/next-auth";
import { errorResponse } from "@/lib/api/responses";
import { AppError } from "@/lib/errors";
import { providerSignIn } from "./provider-sign-in";

type RouteContext = { params: Promise<{ nextauth: string[] }> };

// next-auth answers 500 to malformed requests: its body parser throws on a JSON content type with
// a form body, and its own assertions (a callbackUrl that is not a URL, a credentials callback
// fetched with GET) end in a 500 page. Those are the caller's mistakes, so they are a JSON 400.
const badAuthRequest = () =>
  errorResponse(new AppError("invalid_auth_request", "This sign-in request is malformed (method, content type or callbackUrl).", 400));

async function handler(request: Request, context: RouteContext) {
  let response: Response;
  try {
    response = await NextAuth(request as never, context as never, authOptions(providerSignIn));
  } catch (error) {
    if (error instanceof SyntaxError || error instanceof TypeError) return badAuthRequest();
    throw error;
  }
  return response.status === 500 ? badAuthRequest() : response;
}

export { handler as GET, handler as POST };

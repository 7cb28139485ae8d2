import { signInClient, signOutClient } from "@/lib/api/client-sign-in";
import { exchangeToken, revokeToken } from "@/lib/api/endpoints";
import { route } from "@/lib/api/route";

export const POST = route(exchangeToken, ({ body, context }) => signInClient(body, context));

export const DELETE = route(revokeToken, ({ session, context }) => signOutClient(session, context));

import { deleteOwnAccountWithCode } from "@/lib/accounts/delete-account";
import { deleteAccount } from "@/lib/api/endpoints";
import { route } from "@/lib/api/route";

export const DELETE = route(deleteAccount, ({ body, session, context }) => deleteOwnAccountWithCode(session, body.code, context));

import { requestSignInCode } from "@/lib/accounts/code-sign-in";
import { requestCode } from "@/lib/api/endpoints";
import { route } from "@/lib/api/route";

export const POST = route(requestCode, async ({ body, context }) => {
  await requestSignInCode(body, context);
});

import { uploadKeys } from "@/lib/api/endpoints";
import { route } from "@/lib/api/route";
import { uploadKeys as storeUpload } from "@/lib/keys/upload";

export const PUT = route(uploadKeys, ({ body, session, context }) =>
  storeUpload({ id: session.deviceId, userId: session.userId }, body, context),
);

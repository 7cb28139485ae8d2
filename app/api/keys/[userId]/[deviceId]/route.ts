import { fetchBundles } from "@/lib/api/endpoints";
import { route } from "@/lib/api/route";
import { claimBundles } from "@/lib/keys/claim";

export const GET = route(fetchBundles, ({ params, session, callerAllowances }) =>
  claimBundles({
    requesterUserId: session.userId,
    requesterDeviceId: session.deviceId,
    targetUserId: params.userId,
    deviceId: params.deviceId,
    callerAllowances,
  }),
);

import { revokeDevice as revokeDeviceEndpoint } from "@/lib/api/endpoints";
import { route } from "@/lib/api/route";
import { revokeDevice } from "@/lib/devices/devices";

export const DELETE = route(revokeDeviceEndpoint, ({ params, session, context }) =>
  revokeDevice({ userId: session.userId, deviceId: params.deviceId, context }),
);

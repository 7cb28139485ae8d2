import { listDevices as listDevicesEndpoint } from "@/lib/api/endpoints";
import { route } from "@/lib/api/route";
import { listDevices } from "@/lib/devices/devices";

export const GET = route(listDevicesEndpoint, async ({ session }) => ({
  devices: (await listDevices(session.userId)).map((device) => ({
    deviceId: device.id,
    name: device.name,
    kind: device.kind,
    current: device.id === session.deviceId,
    registrationId: device.identityKey?.registrationId ?? null,
    createdAt: device.createdAt.toISOString(),
    lastSeenAt: device.lastSeenAt?.toISOString() ?? null,
  })),
}));

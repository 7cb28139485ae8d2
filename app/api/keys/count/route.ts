import { countKeys } from "@/lib/api/endpoints";
import { route } from "@/lib/api/route";
import { keyStatus } from "@/lib/keys/status";

export const GET = route(countKeys, ({ session, callerAllowances }) => keyStatus(session.deviceId, callerAllowances));

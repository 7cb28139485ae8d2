import { countKeys } from "@/lib/api/endpoints";
import { route } from "@/lib/api/route";
import { countUnclaimedKeys } from "@/lib/keys/directory";

export const GET = route(countKeys, ({ session }) => countUnclaimedKeys(session.deviceId));

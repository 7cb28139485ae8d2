import { findUserByUsername } from "@/lib/api/endpoints";
import { route } from "@/lib/api/route";
import { findUserIdByUsername } from "@/lib/discovery/lookup";

export const GET = route(findUserByUsername, ({ params }) => findUserIdByUsername(params.username));

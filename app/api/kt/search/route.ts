import { monitorAnswerToJson, searchAnswerToJson } from "@/packages/client/src/transparency/index";
import { findUserByUsername, lookUpPhoneNumbers, transparencySearch } from "@/lib/api/endpoints";
import { callerAllowancesOf, route } from "@/lib/api/route";
import { searchLog } from "@/lib/transparency/queries";

// A username or phone search spends the caller's discovery budget, not this operation's.
export const POST = route(transparencySearch, async ({ body, session, callerAllowances }) => {
  const allowances = body.username !== undefined ? callerAllowancesOf(findUserByUsername, session) : body.phoneNumber !== undefined ? callerAllowancesOf(lookUpPhoneNumbers, session) : callerAllowances;
  const query = body.username !== undefined ? { username: body.username } : body.phoneNumber !== undefined ? { phoneNumber: body.phoneNumber } : { userId: body.userId! };
  const answer = await searchLog({ ...query, version: body.version, trustedSize: body.trustedSize }, allowances);
  return "history" in answer ? monitorAnswerToJson(answer) : searchAnswerToJson(answer);
});

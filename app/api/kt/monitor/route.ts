import { monitorAnswerToJson } from "@/packages/client/src/transparency/index";
import { transparencyMonitor } from "@/lib/api/endpoints";
import { route } from "@/lib/api/route";
import { monitorOwnLabel } from "@/lib/transparency/queries";

export const POST = route(transparencyMonitor, async ({ body, session }) => {
  const { answer, unexplained } = await monitorOwnLabel(session, body);
  return { ...monitorAnswerToJson(answer), unexplainedDevices: unexplained };
});

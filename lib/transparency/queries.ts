/**
 * What a signed-in client may ask the log (issue 23): a search for anyone's keys label, or for a
 * username or phone label under the same budget and opt-ins as discovery (lib/discovery), and the
 * monitoring of the caller's own labels.
 */
import { labels, type MonitorAnswer, type SearchAnswer } from "../../packages/client/src/transparency/index";
import { prisma } from "../db";
import { AppError, notFound } from "../errors";
import { consumeAllowances, type Allowance } from "../rate-limit";
import { keyHistory } from "./key-history";
import { labelHistory, searchLabel } from "./search";

export type LabelQuery = { userId: string } | { username: string } | { phoneNumber: string };

export type SearchQuery = LabelQuery & { version?: number; trustedSize?: number };

function labelOf(query: LabelQuery): Uint8Array {
  if ("userId" in query) return labels.deviceKeys(query.userId);
  return "username" in query ? labels.username(query.username) : labels.phone(query.phoneNumber);
}

/**
 * A search, charged to `allowances` first (the caller's username or phone lookup budget for those
 * labels, so the log is no cheaper a directory than discovery). A username or phone label whose
 * newest version is a tombstone is answered like one nobody ever had: discovery is off for it.
 */
export async function searchLog(query: SearchQuery, allowances: Allowance[]): Promise<SearchAnswer | MonitorAnswer> {
  await consumeAllowances(allowances);
  const label = labelOf(query);
  const answer = query.version === undefined ? await searchLabel(label, query.trustedSize) : await labelHistory(label, query.version, query.trustedSize);
  if (!("userId" in query) && answer.value.length === 0) throw notFound("No one can be found by that label.");
  return answer;
}

export type MonitorQuery = { userId: string; kind: "keys" | "username" | "phone"; since?: number | null; trustedSize?: number };

export type UnexplainedDevice = { version: number; epoch: number; deviceId: string };

/**
 * Every version of one of the caller's own labels after `since` (all of them when absent), with
 * proofs, and for the keys label the devices among them that no upload of the account explains
 * (lib/transparency/key-history.ts). Another account's label is a 403: only its owner can tell
 * whether a version is theirs.
 */
export async function monitorOwnLabel(caller: { userId: string }, query: MonitorQuery): Promise<{ answer: MonitorAnswer; unexplained: UnexplainedDevice[] }> {
  if (query.userId !== caller.userId) throw new AppError("not_your_label", "You can monitor only your own account's labels.", 403);
  const user = await prisma.user.findUniqueOrThrow({ where: { id: caller.userId }, select: { username: true, phoneNumber: true } });
  const label =
    query.kind === "keys" ? labels.deviceKeys(caller.userId) : query.kind === "username" ? user.username && labels.username(user.username) : user.phoneNumber && labels.phone(user.phoneNumber);
  if (!label) throw notFound(`Your account has no ${query.kind === "username" ? "username" : "phone number"}.`);
  const from = query.since === undefined || query.since === null ? 0 : query.since + 1;
  const answer = await labelHistory(label, from, query.trustedSize);
  if (query.kind !== "keys") return { answer, unexplained: [] };
  const { versions } = await keyHistory(caller.userId);
  return { answer, unexplained: versions.filter((v) => v.version >= from).flatMap((v) => v.unexplained.map((deviceId) => ({ version: v.version, epoch: v.epoch, deviceId }))) };
}

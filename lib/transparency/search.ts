/**
 * Answers from the log, each read in one repeatable-read snapshot (the epoch, the versions and the
 * tree rows agree):
 * - a search for a label's greatest version in the newest epoch, with everything the core's
 *   verifySearch checks: the signed checkpoint, a consistency proof from the size the client
 *   trusts, the newest log entry's inclusion, the VRF ladder and prefix proof, value and opening;
 * - the same plus every version from a given one up, each proved to have appeared in its epoch
 *   (the core's MonitorAnswer, checked by verifyMonitor): an owner's monitoring, and a search for
 *   one version, whose value is the first of the history.
 */
import {
  consistencyProof,
  inclusionProof,
  leafArrayReader,
  MAX_MONITORED_VERSIONS,
  proveGreatestVersion,
  proveVersionAppearance,
  type EpochLog,
  type MonitorAnswer,
  type SearchAnswer,
  type VersionAppearance,
} from "../../packages/client/src/transparency/index";
import { prisma, type Tx } from "../db";
import { AppError, notFound } from "../errors";
import type { KtLabelVersion } from "../generated/prisma/client";
import { transparencyKeys } from "./keys";
import { postgresPrefixStore } from "./prefix-store";
import { withCosignatures } from "./cosign";
import { logLeafHashes } from "./publish";

type Snapshot = { tx: Tx; hashes: Uint8Array[]; versions: KtLabelVersion[]; label: Uint8Array };

function inSnapshot<T>(label: Uint8Array, trustedSize: number, read: (snapshot: Snapshot) => Promise<T>): Promise<T> {
  transparencyKeys(); // off without keys: say so, rather than "no epoch yet" forever
  const bytes = new Uint8Array(label) as Uint8Array<ArrayBuffer>;
  return prisma.$transaction(
    async (tx) => {
      const hashes = await logLeafHashes(tx);
      if (hashes.length === 0) throw notFound("The log has no epoch yet.");
      if (trustedSize > hashes.length) throw notFound("The log has fewer epochs than the size asked.");
      const versions = await tx.ktLabelVersion.findMany({ where: { label: bytes }, orderBy: { version: "asc" } });
      return read({ tx, hashes, versions, label });
    },
    { isolationLevel: "RepeatableRead" },
  );
}

async function greatestVersion({ tx, hashes, versions, label }: Snapshot, trustedSize: number): Promise<SearchAnswer> {
  const keys = transparencyKeys();
  const size = hashes.length;
  const latest = versions.at(-1);
  if (!latest || latest.value === null || latest.opening === null) throw notFound("This label is not in the log.");
  const newest = await tx.ktEpoch.findUniqueOrThrow({ where: { index: size - 1 } });
  const proof = await proveGreatestVersion(postgresPrefixStore(tx), size, keys.vrfSecretKey, label, latest.version, (v) => new Uint8Array(versions[v]!.commitment));
  return {
    checkpoint: await withCosignatures(tx, size, newest.checkpoint),
    consistency: trustedSize > 0 ? consistencyProof(trustedSize, size, hashes) : [],
    logEntry: { timestamp: Number(newest.timestamp), prefixRoot: new Uint8Array(newest.prefixRoot) },
    inclusion: inclusionProof(size - 1, size, hashes),
    label,
    version: latest.version,
    value: new Uint8Array(latest.value),
    opening: new Uint8Array(latest.opening),
    ladder: proof.ladder,
    prefixProof: proof.prefixProof,
  };
}

/** The greatest version of `label` in the newest epoch; 404 when the label was never published. */
export async function searchLabel(label: Uint8Array, trustedSize = 0): Promise<SearchAnswer> {
  return inSnapshot(label, trustedSize, (snapshot) => greatestVersion(snapshot, trustedSize));
}

/**
 * The greatest version and every version from `from` up to it, each with the epoch it appeared
 * in. 404 when `from` is past the greatest version plus one, or when a version asked for was
 * erased (a tombstone superseded it); 400 when more than the core accepts are asked for at once.
 */
export async function labelHistory(label: Uint8Array, from: number, trustedSize = 0): Promise<MonitorAnswer> {
  return inSnapshot(label, trustedSize, async (snapshot) => {
    const answer = await greatestVersion(snapshot, trustedSize);
    if (from > answer.version + 1) throw notFound(`This label has no version ${from - 1}: its greatest is ${answer.version}.`);
    const wanted = snapshot.versions.slice(from);
    if (wanted.length > MAX_MONITORED_VERSIONS) {
      throw new AppError("too_many_versions", `Ask for at most ${MAX_MONITORED_VERSIONS} versions at once: start from version ${answer.version + 1 - MAX_MONITORED_VERSIONS} or later.`, 400);
    }
    const log = epochLog(snapshot);
    const history: VersionAppearance[] = [];
    for (const row of wanted) {
      if (row.value === null || row.opening === null) throw notFound(`Version ${row.version} of this label was erased after a later tombstone.`);
      history.push(
        await proveVersionAppearance(postgresPrefixStore(snapshot.tx), log, transparencyKeys().vrfSecretKey, snapshot.label, {
          version: row.version,
          value: new Uint8Array(row.value),
          opening: new Uint8Array(row.opening),
          epoch: row.epoch,
        }),
      );
    }
    return { ...answer, history };
  });
}

/** Epoch index i holds prefix-tree version i + 1 (lib/transparency/publish.ts). */
function epochLog({ tx, hashes }: Snapshot): EpochLog {
  return {
    size: hashes.length,
    hashes: leafArrayReader(hashes),
    treeVersion: (index) => index + 1,
    entry: async (index) => {
      const epoch = await tx.ktEpoch.findUniqueOrThrow({ where: { index }, select: { timestamp: true, prefixRoot: true } });
      return { timestamp: Number(epoch.timestamp), prefixRoot: new Uint8Array(epoch.prefixRoot) };
    },
  };
}

/** The newest checkpoint as a signed note, with the cosignatures collected for it so far. */
export async function newestCheckpoint(): Promise<string> {
  transparencyKeys(); // off without keys: say so, rather than "no epoch yet" forever
  const newest = await prisma.ktEpoch.findFirst({ orderBy: { index: "desc" }, select: { index: true, checkpoint: true } });
  if (!newest) throw notFound("The log has no epoch yet.");
  return withCosignatures(prisma, newest.index + 1, newest.checkpoint);
}

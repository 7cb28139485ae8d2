/**
 * Answers a search for a label's greatest version in the newest epoch, with everything the core's
 * verifySearch checks: the signed checkpoint, a consistency proof from the size the client
 * trusts, the newest log entry's inclusion, the VRF ladder and prefix proof, the value and opening.
 */
import { consistencyProof, inclusionProof, proveGreatestVersion, type SearchAnswer } from "../../packages/client/src/transparency/index";
import { prisma } from "../db";
import { notFound } from "../errors";
import { transparencyKeys } from "./keys";
import { postgresPrefixStore } from "./prefix-store";
import { withCosignatures } from "./cosign";
import { logLeafHashes } from "./publish";

export async function searchLabel(label: Uint8Array, trustedSize = 0): Promise<SearchAnswer> {
  const keys = transparencyKeys();
  const bytes = new Uint8Array(label) as Uint8Array<ArrayBuffer>;
  // Repeatable read: the epoch, the versions and the tree rows are one snapshot.
  return prisma.$transaction(
    async (tx) => {
      const hashes = await logLeafHashes(tx);
      const size = hashes.length;
      if (size === 0) throw notFound("The log has no epoch yet.");
      if (trustedSize > size) throw notFound("The log has fewer epochs than the size asked.");
      const newest = await tx.ktEpoch.findUniqueOrThrow({ where: { index: size - 1 } });
      const versions = await tx.ktLabelVersion.findMany({ where: { label: bytes }, orderBy: { version: "asc" } });
      const latest = versions.at(-1);
      if (!latest || latest.value === null || latest.opening === null) throw notFound("This label is not in the log.");
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
    },
    { isolationLevel: "RepeatableRead" },
  );
}

/** The newest checkpoint as a signed note, with the cosignatures collected for it so far. */
export async function newestCheckpoint(): Promise<string> {
  const newest = await prisma.ktEpoch.findFirst({ orderBy: { index: "desc" }, select: { index: true, checkpoint: true } });
  if (!newest) throw notFound("The log has no epoch yet.");
  return withCosignatures(prisma, newest.index + 1, newest.checkpoint);
}

/**
 * Per-epoch audit data (issue 23): an epoch's log entry and the prefix-tree leaves (search key,
 * commitment) it added, in ascending search-key order, which is all an auditor needs to replay the
 * tree. Neither labels nor values appear: the VRF outputs and commitments are already public.
 */
import type { EpochAudit } from "../../packages/client/src/transparency/index";
import { prisma } from "../db";
import { notFound } from "../errors";

export async function epochAudit(index: number): Promise<EpochAudit> {
  // One snapshot: the epoch row and its label versions are written in one publish transaction.
  return prisma.$transaction(
    async (tx) => {
      const epoch = await tx.ktEpoch.findUnique({ where: { index }, select: { timestamp: true, prefixRoot: true } });
      if (!epoch) throw notFound("The log has no such epoch.");
      // bytea sorts bytewise in PostgreSQL: the order the auditor requires.
      const rows = await tx.ktLabelVersion.findMany({ where: { epoch: index }, select: { searchKey: true, commitment: true }, orderBy: { searchKey: "asc" } });
      return {
        index,
        entry: { timestamp: Number(epoch.timestamp), prefixRoot: new Uint8Array(epoch.prefixRoot) },
        inserted: rows.map((row) => ({ searchKey: new Uint8Array(row.searchKey), commitment: new Uint8Array(row.commitment) })),
      };
    },
    { isolationLevel: "RepeatableRead" },
  );
}

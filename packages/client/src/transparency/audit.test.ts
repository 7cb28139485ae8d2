import { sha256 } from "@noble/hashes/sha2.js";
import { describe, expect, it } from "vitest";
import { bytesToHex, utf8ToBytes } from "./bytes";
import { LogAuditor, type EpochAudit } from "./audit";
import { treeHash } from "./merkle";
import { logEntryLeafHash } from "./log-entry";
import { insertLeaves, MemoryPrefixStore, type PrefixLeaf } from "./prefix-tree";

function leaf(name: string): PrefixLeaf {
  return { searchKey: sha256(utf8ToBytes(`key:${name}`)), commitment: sha256(utf8ToBytes(`commitment:${name}`)) };
}
const ascending = (leaves: PrefixLeaf[]) => [...leaves].sort((a, b) => (bytesToHex(a.searchKey) < bytesToHex(b.searchKey) ? -1 : 1));

/** An honest log of epochs with these leaves, built like the publisher does. */
async function honestLog(epochs: string[][]): Promise<EpochAudit[]> {
  const store = new MemoryPrefixStore();
  const log: EpochAudit[] = [];
  for (const [index, names] of epochs.entries()) {
    const inserted = ascending(names.map(leaf));
    const { root, writes } = await insertLeaves(store, index + 1, inserted);
    store.putNodes(writes, index + 1);
    log.push({ index, entry: { timestamp: 1000 + index, prefixRoot: root }, inserted });
  }
  return log;
}

async function failure(log: EpochAudit[]): Promise<string> {
  const auditor = new LogAuditor();
  try {
    for (const epoch of log) await auditor.replay(epoch);
    return "accepted";
  } catch (error) {
    return (error as { code: string }).code;
  }
}

describe("LogAuditor", () => {
  it("replays an honest log to the checkpoint's root, heartbeats included", async () => {
    const log = await honestLog([["a", "b"], [], ["c"], ["d", "e", "f"]]);
    const auditor = new LogAuditor();
    for (const epoch of log) await auditor.replay(epoch);
    const rootHash = treeHash(log.map((epoch) => logEntryLeafHash(epoch.entry)));
    expect(() => auditor.verifyCheckpoint({ origin: "o", size: 4, rootHash, extensions: [] })).not.toThrow();
    expect(() => auditor.verifyCheckpoint({ origin: "o", size: 4, rootHash: sha256(rootHash), extensions: [] })).toThrow(/not the log/);
    expect(() => auditor.verifyCheckpoint({ origin: "o", size: 3, rootHash, extensions: [] })).toThrow(/replayed 4/);
  });

  it("refuses a removed, changed, repeated or reordered leaf, a skipped epoch and time going back", async () => {
    const log = await honestLog([["a", "b"], ["c", "d"]]);
    const changed = (edit: (log: EpochAudit[]) => void) => {
      const copy = log.map((epoch) => ({ ...epoch, entry: { ...epoch.entry }, inserted: [...epoch.inserted] }));
      edit(copy);
      return copy;
    };
    expect(await failure(log)).toBe("accepted");
    expect(await failure(changed((l) => l[1]!.inserted.pop()))).toBe("prefix_proof_invalid");
    expect(await failure(changed((l) => (l[0]!.inserted[0] = { ...l[0]!.inserted[0]!, commitment: sha256(l[0]!.inserted[0]!.commitment) })))).toBe("prefix_proof_invalid");
    expect(await failure(changed((l) => (l[1]!.inserted = ascending([...l[1]!.inserted, l[0]!.inserted[0]!]))))).toBe("malformed");
    expect(await failure(changed((l) => l[1]!.inserted.reverse()))).toBe("malformed");
    expect(await failure(changed((l) => l.splice(0, 1)))).toBe("malformed");
    expect(await failure(changed((l) => (l[1]!.entry.timestamp = 999)))).toBe("checkpoint_invalid");
  });
});

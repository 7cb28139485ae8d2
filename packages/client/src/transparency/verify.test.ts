import { sha256 } from "@noble/hashes/sha2.js";
import { describe, expect, it } from "vitest";
import { bytesToHex, utf8ToBytes } from "./bytes";
import { commit } from "./commitment";
import { encodeDeviceKeys, labels, logEntryLeafHash, TOMBSTONE, type DeviceKey, type LogEntry } from "./log-entry";
import { consistencyProof, inclusionProof, leafArrayReader, treeHash } from "./merkle";
import { formatCheckpoint, generateNoteKey, noteSigner, parseSkey, signNote, SIGNATURE_TYPE_COSIGNATURE_V1, SIGNATURE_TYPE_ED25519 } from "./note";
import { insertLeaves, MemoryPrefixStore, type PrefixLeaf } from "./prefix-tree";
import { verifyMonitor, type MonitorAnswer } from "./monitor";
import { proveGreatestVersion, proveVersionAppearance } from "./prove";
import { proveSearchKey, vrfKeygen } from "./vrf";
import { verifyIdentityKey, verifySearch, type SearchAnswer, type TransparencyPolicy, type TrustedCheckpoint } from "./verify";
import { monitorAnswerFromJson, monitorAnswerToJson, searchAnswerFromJson, searchAnswerToJson } from "./wire";
import { errorCode as code } from "./error-code.test-support";

const ORIGIN = "latchkey.example/kt";
const T0 = Date.UTC(2026, 11, 7, 12, 0, 0);
const EPOCH_MS = 60_000;

function key(name: string, type: typeof SIGNATURE_TYPE_ED25519 | typeof SIGNATURE_TYPE_COSIGNATURE_V1) {
  const { skey, vkey } = generateNoteKey(name, type);
  return { vkey, secretKey: parseSkey(skey).secretKey, name, type };
}
const logKey = key(ORIGIN, SIGNATURE_TYPE_ED25519);
const witnesses = [key("witness.example/w1", SIGNATURE_TYPE_COSIGNATURE_V1), key("witness.example/w2", SIGNATURE_TYPE_COSIGNATURE_V1)];
const auditor = key("auditor.latchkey.example", SIGNATURE_TYPE_COSIGNATURE_V1);
const vrf = vrfKeygen();

const policy: TransparencyPolicy = {
  origin: ORIGIN,
  logVkey: logKey.vkey,
  vrfPublicKey: vrf.publicKey,
  witnessVkeys: witnesses.map((w) => w.vkey),
  minWitnesses: 1,
  requiredCosignerVkeys: [auditor.vkey],
  maxAgeSeconds: 600,
};

const BOB = "3b1f6a52-2c1e-4d3a-9f0e-5a6b7c8d9e0f";
const PHONE = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
const LAPTOP = "f0e1d2c3-b4a5-4968-8776-655443322110";
const identity = (n: number) => Uint8Array.of(0x05, ...sha256(Uint8Array.of(n)));

/** A small honest log: each epoch adds the pending label versions and some noise. */
class Log {
  readonly store = new MemoryPrefixStore();
  readonly entries: LogEntry[] = [];
  readonly leafHashes: Uint8Array[] = [];
  readonly versions = new Map<string, { value: Uint8Array; opening: Uint8Array; commitment: Uint8Array }[]>();

  async publish(updates: { label: Uint8Array; value: Uint8Array }[]): Promise<void> {
    const epoch = this.entries.length + 1;
    const leaves: PrefixLeaf[] = Array.from({ length: 20 }, (_, i) => ({ searchKey: sha256(utf8ToBytes(`noise ${epoch} ${i}`)), commitment: sha256(utf8ToBytes(`c ${epoch} ${i}`)) }));
    for (const { label, value } of updates) {
      const history = this.versions.get(bytesToHex(label)) ?? [];
      const opening = sha256(utf8ToBytes(`opening ${epoch} ${history.length}`)).slice(0, 16);
      const commitment = commit(opening, label, history.length, value);
      leaves.push({ searchKey: proveSearchKey(vrf.secretKey, label, history.length).searchKey, commitment });
      history.push({ value, opening, commitment });
      this.versions.set(bytesToHex(label), history);
      this.publishedIn.set(`${bytesToHex(label)}#${history.length - 1}`, epoch);
    }
    const { root, writes } = await insertLeaves(this.store, epoch, leaves);
    this.store.putNodes(writes, epoch);
    const entry = { timestamp: T0 + epoch * EPOCH_MS, prefixRoot: root };
    this.entries.push(entry);
    this.leafHashes.push(logEntryLeafHash(entry));
  }

  checkpoint(size: number, cosigners = [witnesses[0]!, auditor], cosignedAt = (T0 + size * EPOCH_MS) / 1000): string {
    const text = formatCheckpoint({ origin: ORIGIN, size, rootHash: treeHash(this.leafHashes, size), extensions: [] });
    return signNote(text, [noteSigner(logKey.name, logKey.type, logKey.secretKey), ...cosigners.map((c) => noteSigner(c.name, c.type, c.secretKey, () => cosignedAt))]);
  }

  /** The answer for `label` in the tree of epoch `size`, as an honest server gives it. */
  async answer(label: Uint8Array, size: number, trusted: TrustedCheckpoint | null, checkpoint = this.checkpoint(size)): Promise<SearchAnswer> {
    const history = this.versions.get(bytesToHex(label))!;
    const entry = this.entries[size - 1]!;
    const version = [...Array(history.length).keys()].reverse().find((v) => this.publishedBy(label, v, size))!;
    const { ladder, prefixProof } = await proveGreatestVersion(this.store, size, vrf.secretKey, label, version, (v) => history[v]!.commitment);
    const reader = leafArrayReader(this.leafHashes);
    return {
      checkpoint,
      consistency: trusted ? consistencyProof(trusted.size, size, reader) : [],
      logEntry: entry,
      inclusion: inclusionProof(size - 1, size, reader),
      label,
      version,
      value: history[version]!.value,
      opening: history[version]!.opening,
      ladder,
      prefixProof,
    };
  }

  /** A monitoring answer: the search answer plus every version after `lastSeen`. */
  async monitor(label: Uint8Array, size: number, trusted: TrustedCheckpoint | null, lastSeen: number | null): Promise<MonitorAnswer> {
    const answer = await this.answer(label, size, trusted);
    const log = { size, entry: (i: number) => this.entries[i]!, hashes: this.leafHashes, treeVersion: (i: number) => i + 1 };
    const history = this.versions.get(bytesToHex(label))!;
    const items = [];
    for (let v = lastSeen === null ? 0 : lastSeen + 1; v <= answer.version; v++) {
      const epoch = this.publishedIn.get(`${bytesToHex(label)}#${v}`)! - 1;
      items.push(await proveVersionAppearance(this.store, log, vrf.secretKey, label, { version: v, value: history[v]!.value, opening: history[v]!.opening, epoch }));
    }
    return { ...answer, history: items };
  }

  /** Epoch in which each (label, version) was published. */
  readonly publishedIn = new Map<string, number>();

  private publishedBy(label: Uint8Array, version: number, size: number): boolean {
    return (this.publishedIn.get(`${bytesToHex(label)}#${version}`) ?? Infinity) <= size;
  }
}

async function bobsLog(): Promise<Log> {
  const log = new Log();
  const phoneOnly: DeviceKey[] = [{ deviceId: PHONE, identityKey: identity(1) }];
  await log.publish([{ label: labels.deviceKeys(BOB), value: encodeDeviceKeys(phoneOnly) }]);
  await log.publish([]);
  await log.publish([{ label: labels.deviceKeys(BOB), value: encodeDeviceKeys([...phoneOnly, { deviceId: LAPTOP, identityKey: identity(2) }]) }]);
  await log.publish([]);
  return log;
}


const now = (size: number) => T0 + size * EPOCH_MS + 5_000;
const served = (deviceId: string, identityKey: Uint8Array) => ({ userId: BOB, deviceId, identityKey });

describe("verifying a served identity key end to end", () => {
  it("accepts the honest answer, first without and then with a trusted checkpoint", async () => {
    const log = await bobsLog();
    const first = verifyIdentityKey(policy, null, await log.answer(labels.deviceKeys(BOB), 2, null), served(PHONE, identity(1)), now(2));
    expect(first.version).toBe(0);
    expect(first.cosigners).toEqual(["witness.example/w1", "auditor.latchkey.example"]);
    const second = verifyIdentityKey(policy, first.trusted, await log.answer(labels.deviceKeys(BOB), 4, first.trusted), served(LAPTOP, identity(2)), now(4));
    expect(second.version).toBe(1);
    expect(second.devices.map((d) => d.deviceId).sort()).toEqual([PHONE, LAPTOP].sort());
    expect(second.trusted.size).toBe(4);
  });

  it("refuses a swapped key, a device that is not published and another account's answer", async () => {
    const log = await bobsLog();
    const answer = await log.answer(labels.deviceKeys(BOB), 4, null);
    expect(code(() => verifyIdentityKey(policy, null, answer, served(LAPTOP, identity(66)), now(4)))).toBe("key_mismatch");
    expect(code(() => verifyIdentityKey(policy, null, answer, served("00000000-0000-4000-8000-000000000000", identity(2)), now(4)))).toBe("key_mismatch");
    expect(code(() => verifyIdentityKey(policy, null, answer, { ...served(LAPTOP, identity(2)), userId: PHONE }, now(4)))).toBe("key_mismatch");
    // Serving a value with an extra key in it: it no longer opens the commitment.
    const forged = encodeDeviceKeys([{ deviceId: PHONE, identityKey: identity(1) }, { deviceId: LAPTOP, identityKey: identity(66) }]);
    expect(code(() => verifyIdentityKey(policy, null, { ...answer, value: forged }, served(LAPTOP, identity(66)), now(4)))).toBe("prefix_proof_invalid");
  });

  it("refuses hiding the newest version and serving stale epochs", async () => {
    const log = await bobsLog();
    // An answer for epoch 2 (before the laptop) under the epoch-4 checkpoint: the entry is not the newest.
    const old = await log.answer(labels.deviceKeys(BOB), 2, null);
    const current = await log.answer(labels.deviceKeys(BOB), 4, null);
    expect(code(() => verifySearch(policy, null, { ...old, checkpoint: current.checkpoint }, now(4)))).toBe("inclusion_invalid");
    // The old version's proof against the newest epoch's prefix root.
    expect(code(() => verifySearch(policy, null, { ...old, checkpoint: current.checkpoint, logEntry: current.logEntry, inclusion: current.inclusion }, now(4)))).toBe("prefix_proof_invalid");
    // A whole old answer past the freshness window.
    expect(code(() => verifySearch(policy, null, old, now(2) + 601_000))).toBe("stale");
    // Cosignatures from the future.
    expect(code(() => verifySearch(policy, null, old, now(2) - 120_000))).toBe("stale");
  });

  it("enforces the cosigning policy and the log's key and origin", async () => {
    const log = await bobsLog();
    const withCheckpoint = async (checkpoint: string) => log.answer(labels.deviceKeys(BOB), 4, null, checkpoint);
    const noWitness = await withCheckpoint(log.checkpoint(4, [auditor]));
    expect(code(() => verifySearch(policy, null, noWitness, now(4)))).toBe("cosignatures_insufficient");
    const noAuditor = await withCheckpoint(log.checkpoint(4, witnesses));
    expect(code(() => verifySearch(policy, null, noAuditor, now(4)))).toBe("cosignatures_insufficient");
    const twoNeeded = { ...policy, minWitnesses: 2 };
    const honest = await withCheckpoint(log.checkpoint(4));
    expect(code(() => verifySearch(twoNeeded, null, honest, now(4)))).toBe("cosignatures_insufficient");
    const allCosigned = await withCheckpoint(log.checkpoint(4, [...witnesses, auditor]));
    verifySearch(twoNeeded, null, allCosigned, now(4));
    const oldCosignatures = await withCheckpoint(log.checkpoint(4, [witnesses[0]!, auditor], now(4) / 1000 - 3600));
    expect(code(() => verifySearch(policy, null, oldCosignatures, now(4)))).toBe("stale");
    const otherLog = { ...policy, logVkey: generateNoteKey(ORIGIN, SIGNATURE_TYPE_ED25519).vkey };
    expect(code(() => verifySearch(otherLog, null, honest, now(4)))).toBe("signature_invalid");
    expect(code(() => verifySearch({ ...policy, origin: "evil.example/kt" }, null, honest, now(4)))).toBe("checkpoint_invalid");
    const resigned = log.checkpoint(4).replace("\n4\n", "\n5\n");
    const tampered = await withCheckpoint(resigned);
    expect(code(() => verifySearch(policy, null, tampered, now(4)))).toBe("signature_invalid");
  });

  it("refuses a forked or rolled-back log against the checkpoint it trusted", async () => {
    const log = await bobsLog();
    const first = verifySearch(policy, null, await log.answer(labels.deviceKeys(BOB), 3, null), now(3));
    // Rollback: a checkpoint smaller than the trusted one.
    const rolled = await log.answer(labels.deviceKeys(BOB), 2, null);
    expect(code(() => verifySearch(policy, first.trusted, rolled, now(2)))).toBe("rollback");
    // Fork: a second log that shares the first epoch, then shows another history, properly
    // signed by the same keys (a split view). Its consistency proof cannot connect.
    const fork = new Log();
    await fork.publish([{ label: labels.deviceKeys(BOB), value: encodeDeviceKeys([{ deviceId: PHONE, identityKey: identity(1) }]) }]);
    await fork.publish([{ label: labels.deviceKeys(BOB), value: encodeDeviceKeys([{ deviceId: PHONE, identityKey: identity(99) }]) }]);
    for (let i = 0; i < 2; i++) await fork.publish([]);
    const forked = await fork.answer(labels.deviceKeys(BOB), 4, first.trusted);
    expect(code(() => verifyIdentityKey(policy, first.trusted, forked, served(PHONE, identity(99)), now(4)))).toBe("consistency_invalid");
    // Equal sizes with another root is a fork too.
    const forkedSame = await fork.answer(labels.deviceKeys(BOB), 3, first.trusted);
    expect(code(() => verifySearch(policy, first.trusted, forkedSame, now(3)))).toBe("consistency_invalid");
  });

  it("refuses a tombstoned account's keys", async () => {
    const log = await bobsLog();
    await log.publish([{ label: labels.deviceKeys(BOB), value: TOMBSTONE }]);
    const answer = await log.answer(labels.deviceKeys(BOB), 5, null);
    expect(answer.version).toBe(2);
    expect(code(() => verifyIdentityKey(policy, null, answer, served(PHONE, identity(1)), now(5)))).toBe("key_mismatch");
  });
});

describe("monitoring one's own label", () => {
  it("lists every version since the last check with its value and epoch", async () => {
    const log = await bobsLog();
    const all = verifyMonitor(policy, null, await log.monitor(labels.deviceKeys(BOB), 4, null, null), null, now(4));
    expect(all.history.map((h) => [h.version, h.epoch, h.timestamp])).toEqual([
      [0, 0, T0 + EPOCH_MS],
      [1, 2, T0 + 3 * EPOCH_MS],
    ]);
    expect(all.history[1]!.value).toEqual(encodeDeviceKeys([{ deviceId: PHONE, identityKey: identity(1) }, { deviceId: LAPTOP, identityKey: identity(2) }]));
    const since = verifyMonitor(policy, all.trusted, await log.monitor(labels.deviceKeys(BOB), 4, all.trusted, 0), 0, now(4));
    expect(since.history.map((h) => h.version)).toEqual([1]);
  });

  it("shows the owner a device key someone else added, with the epoch it appeared in", async () => {
    const log = await bobsLog();
    const seen = verifyMonitor(policy, null, await log.monitor(labels.deviceKeys(BOB), 4, null, null), null, now(4));
    const rogue = "99999999-9999-4999-8999-999999999999";
    await log.publish([{ label: labels.deviceKeys(BOB), value: encodeDeviceKeys([{ deviceId: PHONE, identityKey: identity(1) }, { deviceId: LAPTOP, identityKey: identity(2) }, { deviceId: rogue, identityKey: identity(7) }]) }]);
    const next = verifyMonitor(policy, seen.trusted, await log.monitor(labels.deviceKeys(BOB), 5, seen.trusted, 1), 1, now(5));
    expect(next.history).toHaveLength(1);
    expect(next.history[0]).toMatchObject({ version: 2, epoch: 4, timestamp: T0 + 5 * EPOCH_MS });
  });

  it("refuses a history with a version left out, a wrong epoch or a lower version count", async () => {
    const log = await bobsLog();
    const answer = await log.monitor(labels.deviceKeys(BOB), 4, null, null);
    expect(code(() => verifyMonitor(policy, null, { ...answer, history: answer.history.slice(1) }, null, now(4)))).toBe("ladder_invalid");
    expect(code(() => verifyMonitor(policy, null, { ...answer, history: [answer.history[1]!, answer.history[0]!] }, null, now(4)))).toBe("ladder_invalid");
    // Claim version 1 appeared one epoch later than it did: the proofs no longer fit the epochs.
    const v1 = answer.history[1]!;
    const later = { ...v1, epoch: { ...v1.epoch, index: 3, entry: log.entries[3]!, inclusion: inclusionProof(3, 4, leafArrayReader(log.leafHashes)) }, before: { ...v1.before!, epoch: { index: 2, entry: log.entries[2]!, inclusion: inclusionProof(2, 4, leafArrayReader(log.leafHashes)) } } };
    expect(code(() => verifyMonitor(policy, null, { ...answer, history: [answer.history[0]!, later] }, null, now(4)))).toBe("prefix_proof_invalid");
    // A forged value for an old version does not open its commitment.
    const forgedValue = { ...answer.history[0]!, value: encodeDeviceKeys([]) };
    expect(code(() => verifyMonitor(policy, null, { ...answer, history: [forgedValue, answer.history[1]!] }, null, now(4)))).toBe("prefix_proof_invalid");
    expect(code(() => verifyMonitor(policy, null, answer, 5, now(4)))).toBe("rollback");
  });
});

describe("answers on the wire (JSON)", () => {
  it("round-trip through JSON text and still verify", async () => {
    const log = await bobsLog();
    const answer = await log.monitor(labels.deviceKeys(BOB), 4, null, null);
    const search = searchAnswerFromJson(JSON.parse(JSON.stringify(searchAnswerToJson(answer))));
    const withoutHistory: Partial<typeof answer> = { ...answer };
    delete withoutHistory.history;
    expect(search).toEqual(withoutHistory);
    verifyIdentityKey(policy, null, search, served(LAPTOP, identity(2)), now(4));
    const monitor = monitorAnswerFromJson(JSON.parse(JSON.stringify(monitorAnswerToJson(answer))));
    expect(monitor).toEqual(answer);
    expect(verifyMonitor(policy, null, monitor, null, now(4)).history).toHaveLength(2);
  });

  it("accepts unpadded base64 and refuses wrong types, sizes and unknown result types", async () => {
    const log = await bobsLog();
    const json = searchAnswerToJson(await log.answer(labels.deviceKeys(BOB), 4, null)) as Record<string, unknown>;
    const unpadded = { ...json, opening: String(json.opening).replace(/=+$/, "") };
    expect(searchAnswerFromJson(unpadded).opening).toHaveLength(16);
    const proof = json.prefixProof as { results: Record<string, unknown>[]; elements: string[] };
    const bad: Record<string, unknown>[] = [
      { ...json, version: -1 },
      { ...json, version: "1" },
      { ...json, opening: json.value },
      { ...json, inclusion: "AAAA" },
      { ...json, consistency: [String(json.opening)] },
      { ...json, ladder: [{ proof: String(json.opening) }] },
      { ...json, logEntry: { timestamp: 1.5, prefixRoot: proof.elements[0] } },
      { ...json, prefixProof: { ...proof, results: [{ type: "maybe", depth: 1 }] } },
      { ...json, prefixProof: { ...proof, elements: ["not base64!"] } },
      { ...json, checkpoint: 42 },
    ];
    for (const answer of bad) expect(code(() => searchAnswerFromJson(answer))).toBe("malformed");
    expect(code(() => searchAnswerFromJson(null))).toBe("malformed");
    expect(code(() => monitorAnswerFromJson(json))).toBe("malformed");
  });
});

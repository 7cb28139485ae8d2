/**
 * How long a client takes to verify key-transparency answers (ADR 0060), measured outside the test
 * suite: one VRF verify, one prefix-tree search proof and one whole search answer in a prefix tree
 * of LEAVES random leaves (default 1,000,000; the leaves are random search keys, not real labels).
 *
 *   node --expose-gc --import tsx scripts/bench-kt-verify.ts [leaves]
 */
import { sha256 } from "@noble/hashes/sha2.js";
import {
  commit,
  consistencyProof,
  encodeDeviceKeys,
  formatCheckpoint,
  generateNoteKey,
  inclusionProof,
  insertLeaves,
  labels,
  leafArrayReader,
  logEntryLeafHash,
  MemoryPrefixStore,
  noteSigner,
  parseSkey,
  prefixProof,
  prefixRoot,
  proveGreatestVersion,
  proveSearchKey,
  signNote,
  SIGNATURE_TYPE_COSIGNATURE_V1,
  SIGNATURE_TYPE_ED25519,
  treeHash,
  verifyPrefixProof,
  verifySearch,
  vrfInput,
  vrfKeygen,
  vrfProve,
  vrfVerify,
  type PrefixLeaf,
} from "../packages/client/src/transparency/index.ts";

const LEAVES = Number(process.argv[2] ?? 1_000_000);

function time(name: string, runs: number, run: () => void): void {
  for (let i = 0; i < Math.min(runs, 20); i++) run();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    run();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]!.toFixed(2);
  console.log(`${name}: p50 ${at(0.5)} ms, p90 ${at(0.9)} ms (${runs} runs)`);
}

const vrf = vrfKeygen();
const alpha = vrfInput("keys:3b1f6a52-2c1e-4d3a-9f0e-5a6b7c8d9e0f", 0);
const pi = vrfProve(vrf.secretKey, alpha);
time("VRF verify", 200, () => vrfVerify(vrf.publicKey, alpha, pi));

const label = labels.deviceKeys("3b1f6a52-2c1e-4d3a-9f0e-5a6b7c8d9e0f");
const value = encodeDeviceKeys([{ deviceId: "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", identityKey: Uint8Array.of(5, ...sha256(Uint8Array.of(1))) }]);
const opening = new Uint8Array(16).fill(3);
const commitment = commit(opening, label, 0, value);

// The tree lives only inside this function, so the timings below run on a small heap.
async function buildTree() {
  const started = performance.now();
  const store = new MemoryPrefixStore();
  const leaves: PrefixLeaf[] = [{ searchKey: proveSearchKey(vrf.secretKey, label, 0).searchKey, commitment }];
  let seed = sha256(Uint8Array.of(42));
  for (let i = 1; i < LEAVES; i++) {
    seed = sha256(seed);
    leaves.push({ searchKey: seed, commitment: seed });
  }
  const { writes } = await insertLeaves(store, 1, leaves);
  store.putNodes(writes, 1);
  const root = await prefixRoot(store, 1);
  console.log(`built a ${LEAVES}-leaf prefix tree in ${((performance.now() - started) / 1000).toFixed(1)} s (${writes.length} nodes)`);

  const one = await prefixProof(store, 1, [leaves[0]!.searchKey]);
  const proof = await proveGreatestVersion(store, 1, vrf.secretKey, label, 0, () => commitment);
  return { root, one, proof, leaf: leaves[0]! };
}
const { root, one, proof, leaf } = await buildTree();
(globalThis as { gc?: () => void }).gc?.();
console.log(`search key depth ${one.results[0]!.depth}, ${one.elements.length} copath hashes`);
time("prefix proof verify (1 key)", 500, () => verifyPrefixProof(root, [leaf], one));

// A whole answer: the checkpoint of a 1,000-epoch log with two cosignatures, the newest epoch's
// inclusion, a consistency proof from 100 epochs back, and the version-0 ladder (versions 0 and 1).
const log = generateNoteKey("latchkey.example/kt", SIGNATURE_TYPE_ED25519);
const witness = generateNoteKey("witness.example/w1", SIGNATURE_TYPE_COSIGNATURE_V1);
const auditor = generateNoteKey("auditor.latchkey.example", SIGNATURE_TYPE_COSIGNATURE_V1);
const now = Date.now();
const entries = Array.from({ length: 1000 }, (_, i) => logEntryLeafHash({ timestamp: now - (1000 - i) * 60_000, prefixRoot: sha256(Uint8Array.of(i & 255, i >> 8)) }));
const newest = { timestamp: now - 1000, prefixRoot: root };
entries[999] = logEntryLeafHash(newest);
const reader = leafArrayReader(entries);
const signer = (skey: string, at: () => number) => {
  const key = parseSkey(skey);
  return noteSigner(key.name, key.type, key.secretKey, at);
};
const checkpoint = signNote(formatCheckpoint({ origin: "latchkey.example/kt", size: 1000, rootHash: treeHash(reader, 1000), extensions: [] }), [
  signer(log.skey, () => 0),
  signer(witness.skey, () => Math.floor(now / 1000)),
  signer(auditor.skey, () => Math.floor(now / 1000)),
]);
const answer = {
  checkpoint,
  consistency: consistencyProof(900, 1000, reader),
  logEntry: newest,
  inclusion: inclusionProof(999, 1000, reader),
  label,
  version: 0,
  value,
  opening,
  ...proof,
};
const policy = {
  origin: "latchkey.example/kt",
  logVkey: log.vkey,
  vrfPublicKey: vrf.publicKey,
  witnessVkeys: [witness.vkey],
  minWitnesses: 1,
  requiredCosignerVkeys: [auditor.vkey],
  maxAgeSeconds: 600,
};
const trusted = { size: 900, rootHash: treeHash(reader, 900) };
const started = performance.now();
verifySearch(policy, trusted, answer, now);
console.log(`first whole-answer verify (cold): ${(performance.now() - started).toFixed(2)} ms`);
time("whole search answer verify", 200, () => verifySearch(policy, trusted, answer, now));
const proofBytes =
  answer.ladder.reduce((n, step) => n + step.proof.length + (step.commitment?.length ?? 0), 0) +
  answer.prefixProof.elements.length * 32 +
  answer.prefixProof.results.length * 2 +
  (answer.consistency.length + answer.inclusion.length) * 32 +
  40 +
  new TextEncoder().encode(checkpoint).length;
console.log(`answer proof size: ${proofBytes} bytes (ladder ${answer.ladder.length} steps, ${answer.prefixProof.elements.length} prefix copath hashes)`);

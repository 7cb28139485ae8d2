/**
 * JSON forms of search and monitoring answers for the HTTP API: bytes as standard base64
 * (padding optional on input, as the API contract says), everything else as JSON numbers and
 * strings. The decoders check every field's type and size and throw `malformed`, so a client never
 * runs a verifier on a half-parsed answer and the server can reuse them in its contract tests.
 */
import { base64ToBytes, bytesToBase64 } from "./bytes";
import { check } from "./errors";
import type { EpochAudit } from "./audit";
import type { BinaryLadderStep } from "./ladder";
import type { LogEntry } from "./log-entry";
import type { EpochProof, MonitorAnswer, VersionAppearance } from "./monitor";
import type { PrefixProof, PrefixSearchResult } from "./prefix-tree";
import type { SearchAnswer } from "./verify";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const b64 = bytesToBase64;

function bytes(value: unknown, what: string, length?: number): Uint8Array {
  check(typeof value === "string", "malformed", `${what} must be a base64 string`);
  const padded = value.length % 4 === 0 ? value : value + "=".repeat(4 - (value.length % 4));
  const decoded = base64ToBytes(padded);
  check(length === undefined || decoded.length === length, "malformed", `${what} must be ${length} bytes`);
  return decoded;
}

function integer(value: unknown, what: string): number {
  check(typeof value === "number" && Number.isSafeInteger(value) && value >= 0, "malformed", `${what} must be a non-negative integer`);
  return value;
}

function object(value: unknown, what: string): Record<string, unknown> {
  check(typeof value === "object" && value !== null && !Array.isArray(value), "malformed", `${what} must be an object`);
  return value as Record<string, unknown>;
}

function list<T>(value: unknown, what: string, max: number, item: (entry: unknown, name: string) => T): T[] {
  check(Array.isArray(value) && value.length <= max, "malformed", `${what} must be a list of at most ${max}`);
  return value.map((entry, i) => item(entry, `${what}[${i}]`));
}

const hashes = (value: unknown, what: string) => list(value, what, 64, (h, name) => bytes(h, name, 32));

function prefixProofToJson(proof: PrefixProof): JsonObject {
  return {
    results: proof.results.map((r): JsonObject =>
      r.type === "nonInclusionLeaf" ? { type: r.type, depth: r.depth, leaf: { searchKey: b64(r.leaf.searchKey), commitment: b64(r.leaf.commitment) } } : { type: r.type, depth: r.depth },
    ),
    elements: proof.elements.map(b64),
  };
}

function prefixProofFromJson(value: unknown, what: string): PrefixProof {
  const json = object(value, what);
  const results = list(json.results, `${what}.results`, 255, (entry, name): PrefixSearchResult => {
    const r = object(entry, name);
    const depth = integer(r.depth, `${name}.depth`);
    if (r.type === "inclusion" || r.type === "nonInclusionParent") return { type: r.type, depth };
    check(r.type === "nonInclusionLeaf", "malformed", `${name}.type is unknown`);
    const leaf = object(r.leaf, `${name}.leaf`);
    return { type: r.type, depth, leaf: { searchKey: bytes(leaf.searchKey, `${name}.leaf.searchKey`, 32), commitment: bytes(leaf.commitment, `${name}.leaf.commitment`, 32) } };
  });
  return { results, elements: list(json.elements, `${what}.elements`, 255 * 256, (h, name) => bytes(h, name, 32)) };
}

function logEntryToJson(entry: LogEntry): JsonObject {
  return { timestamp: entry.timestamp, prefixRoot: b64(entry.prefixRoot) };
}

function logEntryFromJson(value: unknown, what: string): LogEntry {
  const json = object(value, what);
  return { timestamp: integer(json.timestamp, `${what}.timestamp`), prefixRoot: bytes(json.prefixRoot, `${what}.prefixRoot`, 32) };
}

function epochToJson(epoch: EpochProof): JsonObject {
  return { index: epoch.index, entry: logEntryToJson(epoch.entry), inclusion: epoch.inclusion.map(b64) };
}

function epochFromJson(value: unknown, what: string): EpochProof {
  const json = object(value, what);
  return { index: integer(json.index, `${what}.index`), entry: logEntryFromJson(json.entry, `${what}.entry`), inclusion: hashes(json.inclusion, `${what}.inclusion`) };
}

export function searchAnswerToJson(answer: SearchAnswer): JsonObject {
  return {
    checkpoint: answer.checkpoint,
    consistency: answer.consistency.map(b64),
    logEntry: logEntryToJson(answer.logEntry),
    inclusion: answer.inclusion.map(b64),
    label: b64(answer.label),
    version: answer.version,
    value: b64(answer.value),
    opening: b64(answer.opening),
    ladder: answer.ladder.map((step): JsonObject => (step.commitment ? { proof: b64(step.proof), commitment: b64(step.commitment) } : { proof: b64(step.proof) })),
    prefixProof: prefixProofToJson(answer.prefixProof),
  };
}

export function searchAnswerFromJson(value: unknown): SearchAnswer {
  const json = object(value, "answer");
  check(typeof json.checkpoint === "string" && json.checkpoint.length <= 64 * 1024, "malformed", "answer.checkpoint must be a signed note");
  return {
    checkpoint: json.checkpoint,
    consistency: hashes(json.consistency, "answer.consistency"),
    logEntry: logEntryFromJson(json.logEntry, "answer.logEntry"),
    inclusion: hashes(json.inclusion, "answer.inclusion"),
    label: bytes(json.label, "answer.label"),
    version: integer(json.version, "answer.version"),
    value: bytes(json.value, "answer.value"),
    opening: bytes(json.opening, "answer.opening", 16),
    ladder: list(json.ladder, "answer.ladder", 64, (entry, name): BinaryLadderStep => {
      const step = object(entry, name);
      const proof = bytes(step.proof, `${name}.proof`, 80);
      return step.commitment === undefined ? { proof } : { proof, commitment: bytes(step.commitment, `${name}.commitment`, 32) };
    }),
    prefixProof: prefixProofFromJson(json.prefixProof, "answer.prefixProof"),
  };
}

export function monitorAnswerToJson(answer: MonitorAnswer): JsonObject {
  return {
    ...searchAnswerToJson(answer),
    history: answer.history.map((item): JsonObject => ({
      version: item.version,
      value: b64(item.value),
      opening: b64(item.opening),
      vrfProof: b64(item.vrfProof),
      epoch: epochToJson(item.epoch),
      present: prefixProofToJson(item.present),
      ...(item.before ? { before: { epoch: epochToJson(item.before.epoch), absent: prefixProofToJson(item.before.absent) } } : {}),
    })),
  };
}

export function epochAuditToJson(audit: EpochAudit): JsonObject {
  return { index: audit.index, entry: logEntryToJson(audit.entry), inserted: audit.inserted.map((leaf) => ({ searchKey: b64(leaf.searchKey), commitment: b64(leaf.commitment) })) };
}

/** An epoch holds at most one new version per label; this bounds what one answer may hold. */
export const MAX_AUDIT_LEAVES = 1_000_000;

export function epochAuditFromJson(value: unknown): EpochAudit {
  const json = object(value, "audit");
  return {
    index: integer(json.index, "audit.index"),
    entry: logEntryFromJson(json.entry, "audit.entry"),
    inserted: list(json.inserted, "audit.inserted", MAX_AUDIT_LEAVES, (entry, name) => {
      const leaf = object(entry, name);
      return { searchKey: bytes(leaf.searchKey, `${name}.searchKey`, 32), commitment: bytes(leaf.commitment, `${name}.commitment`, 32) };
    }),
  };
}

/** More versions than this since an owner's last check is refused as abuse, not parsed. */
export const MAX_MONITORED_VERSIONS = 1024;

export function monitorAnswerFromJson(value: unknown): MonitorAnswer {
  const json = object(value, "answer");
  const history = list(json.history, "answer.history", MAX_MONITORED_VERSIONS, (entry, name): VersionAppearance => {
    const item = object(entry, name);
    const appearance: VersionAppearance = {
      version: integer(item.version, `${name}.version`),
      value: bytes(item.value, `${name}.value`),
      opening: bytes(item.opening, `${name}.opening`, 16),
      vrfProof: bytes(item.vrfProof, `${name}.vrfProof`, 80),
      epoch: epochFromJson(item.epoch, `${name}.epoch`),
      present: prefixProofFromJson(item.present, `${name}.present`),
    };
    if (item.before === undefined) return appearance;
    const before = object(item.before, `${name}.before`);
    return { ...appearance, before: { epoch: epochFromJson(before.epoch, `${name}.before.epoch`), absent: prefixProofFromJson(before.absent, `${name}.before.absent`) } };
  });
  return { ...searchAnswerFromJson(json), history };
}

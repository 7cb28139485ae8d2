/**
 * A witness as its own process (issue 23, ADR 0077): c2sp.org/tlog-witness `add-checkpoint` over
 * HTTP, with its own Ed25519 cosigning key and its own state (a directory holding the key and a
 * JSON file of the last checkpoint it cosigned per log). Requests are decided one at a time and
 * the new state is written (atomically, by rename) before the cosignature is answered, so the
 * witness never signs two checkpoints that are not consistent with each other. The auditor is this
 * same service with a check of its own before it cosigns (`beforeCosign`).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { z } from "zod";
import {
  addCheckpoint,
  base64ToBytes,
  bytesToBase64,
  generateNoteKey,
  noteSigner,
  noteVerifier,
  parseSkey,
  SIGNATURE_TYPE_COSIGNATURE_V1,
  TransparencyError,
  type Checkpoint,
  type NoteVerifier,
  type TrustedCheckpoint,
} from "../../packages/client/src/transparency/index";

/** A checkpoint note with its proof lines is a few KiB; anything far larger is not a request. */
const MAX_REQUEST_BYTES = 64 * 1024;
const KEY_FILE = "witness.key";
const STATE_FILE = "checkpoints.json";

export interface WitnessOptions {
  /** Directory of the witness's key and state; created, with a new key, when absent. */
  stateDir: string;
  /** Name of the key made when the state directory has none (a note key name: no spaces or `+`). */
  keyName: string;
  /** Vkeys of the logs this witness cosigns for; each log's origin is its key's name. */
  logVkeys: readonly string[];
  port?: number;
  host?: string;
  /** Runs after the consistency check and before the cosignature; throwing a TransparencyError refuses it (422). */
  beforeCosign?: (checkpoint: Checkpoint) => Promise<void>;
}

export interface RunningWitness {
  url: string;
  vkey: string;
  close(): Promise<void>;
}

const stateSchema = z.record(z.string(), z.object({ size: z.number().int().min(0), rootHash: z.string() }));

async function loadKey(dir: string, keyName: string): Promise<string> {
  const file = path.join(dir, KEY_FILE);
  try {
    return (await readFile(file, "utf8")).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const { skey } = generateNoteKey(keyName, SIGNATURE_TYPE_COSIGNATURE_V1);
  await writeFile(file, `${skey}\n`, { mode: 0o600, flag: "wx" });
  return skey;
}

async function loadState(dir: string): Promise<Map<string, TrustedCheckpoint>> {
  let text: string;
  try {
    text = await readFile(path.join(dir, STATE_FILE), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return new Map();
    throw error;
  }
  const parsed = stateSchema.parse(JSON.parse(text));
  return new Map(Object.entries(parsed).map(([origin, c]) => [origin, { size: c.size, rootHash: base64ToBytes(c.rootHash) }]));
}

async function saveState(dir: string, state: ReadonlyMap<string, TrustedCheckpoint>): Promise<void> {
  const json = Object.fromEntries([...state].map(([origin, c]) => [origin, { size: c.size, rootHash: bytesToBase64(c.rootHash) }]));
  const temporary = path.join(dir, `${STATE_FILE}.tmp`);
  await writeFile(temporary, `${JSON.stringify(json, null, 2)}\n`);
  await rename(temporary, path.join(dir, STATE_FILE));
}

async function readBody(request: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    length += chunk.length;
    if (length > MAX_REQUEST_BYTES) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function answer(response: ServerResponse, status: number, body: string, contentType = "text/plain; charset=utf-8"): void {
  response.writeHead(status, { "content-type": contentType, "content-length": Buffer.byteLength(body) });
  response.end(body);
}

export async function startWitness(options: WitnessOptions): Promise<RunningWitness> {
  await mkdir(options.stateDir, { recursive: true, mode: 0o700 });
  const key = parseSkey(await loadKey(options.stateDir, options.keyName));
  if (key.type !== SIGNATURE_TYPE_COSIGNATURE_V1) throw new Error(`${path.join(options.stateDir, KEY_FILE)} is not a cosignature/v1 key`);
  const signer = noteSigner(key.name, key.type, key.secretKey);
  const state = await loadState(options.stateDir);
  const logs = new Map<string, NoteVerifier[]>();
  for (const vkey of options.logVkeys) {
    const verifier = noteVerifier(vkey);
    logs.set(verifier.name, [...(logs.get(verifier.name) ?? []), verifier]);
  }

  // One request at a time: check against the stored checkpoint, store the new one, then answer.
  let turn: Promise<unknown> = Promise.resolve();
  const decide = (body: string) => {
    const next = turn.then(async () => {
      const outcome = addCheckpoint(body, logs, (origin) => state.get(origin) ?? null, signer);
      if (outcome.status !== 200) return outcome;
      if (options.beforeCosign) {
        try {
          await options.beforeCosign(outcome.checkpoint);
        } catch (error) {
          if (error instanceof TransparencyError) return { status: 422 as const, message: error.message };
          throw error;
        }
      }
      const { origin, size, rootHash } = outcome.checkpoint;
      await saveState(options.stateDir, new Map([...state, [origin, { size, rootHash }]]));
      state.set(origin, { size, rootHash });
      return outcome;
    });
    turn = next.catch(() => undefined);
    return next;
  };

  const server: Server = createServer((request, response) => {
    void (async () => {
      if (request.url !== "/add-checkpoint") return answer(response, 404, "not found\n");
      if (request.method !== "POST") return answer(response, 405, "use POST\n");
      const body = await readBody(request);
      if (body === null) return answer(response, 400, "request too large\n");
      const outcome = await decide(body);
      if (outcome.status === 200) return answer(response, 200, outcome.cosignature);
      if (outcome.status === 409) return answer(response, 409, `${outcome.latestSize}\n`, "text/x.tlog.size");
      return answer(response, outcome.status, `${outcome.message}\n`);
    })().catch((error: unknown) => {
      console.error("[witness] request failed:", error);
      if (!response.headersSent) answer(response, 500, "internal error\n");
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", resolve);
  });
  const { address, port } = server.address() as AddressInfo;
  return {
    url: `http://${address.includes(":") ? `[${address}]` : address}:${port}`,
    vkey: key.vkey,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

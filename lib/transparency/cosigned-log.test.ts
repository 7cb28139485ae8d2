// The witness, the auditor, the log's push and the client package's verification (ADR 0077)
// against real PostgreSQL and real HTTP: cosigned checkpoints served to clients, and the attacks
// they exist for (a split view, a rewritten history, a stale or unwitnessed log, an unpublished
// key) refused by the witness, the auditor and the client.
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  base64ToBytes,
  bytesToBase64,
  epochAuditFromJson,
  labels,
  parseCheckpoint,
  parseNote,
  verifyCheckpointNote,
  verifyIdentityKey,
  type TransparencyPolicy,
} from "../../packages/client/src/transparency/index";
import { errorCode } from "../../packages/client/src/transparency/error-code.test-support";
import { createLatchkeyClient, TransparencyError, type StoredCheckpoint, type TransparencyOptions } from "../../packages/client/src/index";
import { signedInClient } from "../../test/api-fixtures";
import { createTestDevice, createTestUser, resetDatabase } from "../../test/db";
import { startApiServer, type ApiServer } from "../../test/http-server";
import { generateClientKeys } from "../../test/keys";
import { prisma } from "../db";
import type { KtWitness } from "../env";
import { keyUploadSchema } from "../keys/formats";
import { uploadKeys } from "../keys/upload";
import { followLog } from "./auditor";
import { pushCheckpoint } from "./cosign";
import { transparencyKeys } from "./keys";
import { publishEpoch } from "./publish";
import { searchLabel } from "./search";
import { startWitness, type RunningWitness } from "./witness-service";

let server: ApiServer;
let stateRoot: string;
let running: RunningWitness[] = [];

beforeAll(async () => {
  [server, stateRoot] = await Promise.all([startApiServer(), mkdtemp(path.join(tmpdir(), "latchkey-witness-"))]);
});
afterAll(async () => {
  await server.close();
  await rm(stateRoot, { recursive: true, force: true });
});
beforeEach(resetDatabase);
afterEach(async () => {
  await Promise.all(running.map((w) => w.close()));
  running = [];
});

let dirs = 0;
async function witness(options: { stateDir?: string; auditor?: boolean } = {}): Promise<KtWitness & { stateDir: string }> {
  const stateDir = options.stateDir ?? path.join(stateRoot, `w${++dirs}`);
  const role = options.auditor ? "auditor" : "witness";
  const logVkey = transparencyKeys().logVkey;
  const follower = options.auditor ? followLog({ logUrl: server.url, logVkey }) : undefined;
  const started = await startWitness({ stateDir, keyName: `test-${role}-${dirs}`, logVkeys: [logVkey], beforeCosign: follower?.audit });
  running.push(started);
  return { name: `${role}${dirs}`, url: started.url, vkey: started.vkey, role, stateDir };
}

function policy(witnesses: KtWitness[], minWitnesses: number): TransparencyPolicy {
  const keys = transparencyKeys();
  return {
    origin: keys.origin,
    logVkey: keys.logVkey,
    vrfPublicKey: keys.vrfPublicKey,
    witnessVkeys: witnesses.filter((w) => w.role === "witness").map((w) => w.vkey),
    minWitnesses,
    requiredCosignerVkeys: witnesses.filter((w) => w.role === "auditor").map((w) => w.vkey),
    maxAgeSeconds: 600,
  };
}

async function deviceWithKeys(userId: string) {
  const device = await createTestDevice(userId);
  const keys = generateClientKeys({ preKeys: 1, pqPreKeys: 1 });
  await uploadKeys({ id: device.id, userId }, keyUploadSchema.parse(keys.upload));
  return { userId, deviceId: device.id, identityKey: keys.identityKeyPair.publicKey.serialize() };
}

async function servedCheckpoint(): Promise<string> {
  const response = await fetch(`${server.url}/api/kt/checkpoint`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { checkpoint: string }).checkpoint;
}

describe("witness, auditor and the log's push", () => {
  it("serves per-epoch audit data, and checkpoints cosigned by a witness and the auditor that a client accepts", async () => {
    const bob = await deviceWithKeys((await createTestUser()).id);
    await publishEpoch();
    await publishEpoch(); // a heartbeat: audit data with no leaves
    const audit = epochAuditFromJson(await (await fetch(`${server.url}/api/kt/audit/0`)).json());
    // Bob's keys label and his username label (found by username by default, so published too).
    expect([audit.index, audit.inserted.length]).toEqual([0, 2]);
    expect(epochAuditFromJson(await (await fetch(`${server.url}/api/kt/audit/1`)).json()).inserted).toEqual([]);
    for (const bad of ["2", "-1", "01", "x", "1e3"]) expect((await fetch(`${server.url}/api/kt/audit/${bad}`)).status).toBe(404);

    const cosigners = [await witness(), await witness({ auditor: true })];
    expect(await pushCheckpoint(cosigners)).toEqual(cosigners.map((w) => ({ name: w.name, cosigned: true })));
    const note = await servedCheckpoint();
    expect(verifyCheckpointNote(policy(cosigners, 1), note, Date.now()).cosigners.sort()).toEqual(parseNote(note).signatures.slice(1).map((s) => s.name).sort());

    // The next epoch is cosigned from the size each one holds (consistency proof 2 → 3).
    await deviceWithKeys(bob.userId);
    await publishEpoch();
    expect((await pushCheckpoint(cosigners)).every((o) => o.cosigned)).toBe(true);
    const verified = verifyIdentityKey(policy(cosigners, 1), null, await searchLabel(labels.deviceKeys(bob.userId)), bob);
    expect([verified.checkpoint.size, verified.cosigners.length]).toEqual([3, 2]);
  });

  it("a dead witness does not stop the others; a witness that lost track is caught up through its 409", async () => {
    await deviceWithKeys((await createTestUser()).id);
    await publishEpoch();
    const live = await witness();
    const dead = { ...(await witness()), url: "http://127.0.0.1:9" };
    expect(await pushCheckpoint([live, dead])).toEqual([{ name: live.name, cosigned: true }, expect.objectContaining({ name: dead.name, cosigned: false })]);

    // The log forgets what the witness holds; the witness restarts from its state directory (same key).
    await publishEpoch();
    await prisma.ktCosignature.deleteMany();
    await Promise.all(running.map((w) => w.close()));
    running = [];
    const restarted = await witness({ stateDir: live.stateDir });
    expect(restarted.vkey).toBe(live.vkey);
    expect(await pushCheckpoint([{ ...live, url: restarted.url }])).toEqual([{ name: live.name, cosigned: true }]);
    expect(await prisma.ktCosignature.findMany({ select: { epochSize: true } })).toEqual([{ epochSize: 2 }]);
  });

  it("split view: the witness refuses the forked checkpoint, and a client requiring a witness refuses the forked answer", async () => {
    const bob = await deviceWithKeys((await createTestUser()).id);
    await publishEpoch();
    await publishEpoch();
    const cosigner = await witness();
    expect((await pushCheckpoint([cosigner]))[0]!.cosigned).toBe(true);
    const honest = await searchLabel(labels.deviceKeys(bob.userId));
    const trusted = verifyIdentityKey(policy([cosigner], 1), null, honest, bob).trusted;

    // The operator rewinds epoch 1 and publishes another one in its place, with a key of its own for Bob.
    await prisma.$executeRaw`DELETE FROM kt_cosignatures`;
    await prisma.$executeRaw`DELETE FROM kt_epochs WHERE index = 1`;
    const planted = await deviceWithKeys(bob.userId);
    await publishEpoch();
    const [outcome] = await pushCheckpoint([cosigner]);
    expect(outcome).toMatchObject({ cosigned: false, reason: expect.stringMatching(/^422/) });

    const forked = await searchLabel(labels.deviceKeys(bob.userId));
    expect(parseCheckpoint(parseNote(forked.checkpoint).text).size).toBe(2);
    expect(errorCode(() => verifyIdentityKey(policy([cosigner], 1), null, forked, planted))).toBe("cosignatures_insufficient");
    // A client that kept the honest checkpoint refuses it even with no witness required.
    const fork = await searchLabel(labels.deviceKeys(bob.userId), 2);
    expect(errorCode(() => verifyIdentityKey(policy([cosigner], 0), trusted, fork, planted))).toBe("consistency_invalid");
  });

  it("rewritten history: a published row changed in SQL fails the auditor (and `kt:audit --once`) and the next checkpoint fails a client", async () => {
    const bob = await deviceWithKeys((await createTestUser()).id);
    await deviceWithKeys((await createTestUser()).id);
    await publishEpoch();
    const auditor = await witness({ auditor: true });
    expect((await pushCheckpoint([auditor]))[0]!.cosigned).toBe(true);
    const trusted = verifyIdentityKey(policy([auditor], 0), null, await searchLabel(labels.deviceKeys(bob.userId)), bob).trusted;

    // An intruder swaps one published commitment, and the tree rows and epoch entry that hash it.
    await prisma.$executeRaw`UPDATE kt_label_versions SET commitment = set_byte(commitment, 0, get_byte(commitment, 0) # 1) WHERE label = ${Buffer.from(labels.deviceKeys(bob.userId))}`;
    await prisma.$executeRaw`UPDATE kt_epochs SET prefix_root = set_byte(prefix_root, 0, get_byte(prefix_root, 0) # 1), leaf_hash = set_byte(leaf_hash, 0, get_byte(leaf_hash, 0) # 1) WHERE index = 0`;
    const fresh = followLog({ logUrl: server.url, logVkey: transparencyKeys().logVkey });
    await publishEpoch();
    await expect(fresh.auditNewest()).rejects.toMatchObject({ code: "prefix_proof_invalid" });
    const run = promisify(execFile);
    const once = await run(process.execPath, ["--import", "tsx", "scripts/kt-audit.ts", "--once", "--log-url", server.url, "--log-vkey", transparencyKeys().logVkey]).then(
      () => ({ code: 0, stderr: "" }),
      (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
    );
    expect(once).toEqual({ code: 1, stderr: expect.stringContaining("[audit] FAILED (prefix_proof_invalid)") });

    // The running auditor holds the true epoch 0: the new checkpoint is not consistent with what it cosigned.
    expect((await pushCheckpoint([auditor]))[0]).toMatchObject({ cosigned: false, reason: expect.stringMatching(/^422/) });
    const next = await searchLabel(labels.deviceKeys(bob.userId), trusted.size);
    expect(errorCode(() => verifyIdentityKey(policy([], 0), trusted, next, bob))).toBe("consistency_invalid");
    expect(base64ToBytes(parseNote(await servedCheckpoint()).text.split("\n")[2]!)).not.toEqual(trusted.rootHash);
  });
});

describe("the client package's transparency option", () => {
  async function setUp() {
    const bob = await deviceWithKeys((await createTestUser()).id);
    await publishEpoch();
    const cosigners = [await witness(), await witness({ auditor: true })];
    await pushCheckpoint(cosigners);
    const alice = await signedInClient(server.url);
    let stored: StoredCheckpoint | null = null;
    const keys = transparencyKeys();
    const options = (extra: Partial<TransparencyOptions> = {}): TransparencyOptions => ({
      logVkey: keys.logVkey,
      vrfPublicKey: bytesToBase64(keys.vrfPublicKey),
      witnessVkeys: [cosigners[0]!.vkey],
      auditorVkeys: [cosigners[1]!.vkey],
      storage: { load: () => stored, save: (checkpoint) => void (stored = checkpoint) },
      ...extra,
    });
    const client = (extra?: Partial<TransparencyOptions>) => createLatchkeyClient({ baseUrl: server.url, token: alice.token, transparency: options(extra) });
    const refusal = (promise: Promise<unknown>) => promise.then(() => "accepted", (error: unknown) => (error instanceof TransparencyError ? error.code : String(error)));
    return { bob, cosigners, client, refusal, stored: () => stored };
  }

  it("verifies fetched identity keys against the cosigned log, consistently from the stored checkpoint", async () => {
    const { bob, cosigners, client, stored } = await setUp();
    expect((await client().fetchBundles(bob.userId)).devices.map((d) => d.deviceId)).toEqual([bob.deviceId]);
    expect(stored()?.size).toBe(1);
    await publishEpoch();
    await pushCheckpoint(cosigners);
    await client().fetchBundles(bob.userId, bob.deviceId);
    expect(stored()?.size).toBe(2);
  });

  it("refuses a stale log, an unwitnessed checkpoint, a key not (yet) published and a fork of the stored checkpoint", async () => {
    const { bob, client, refusal, stored } = await setUp();
    expect(await refusal(client({ now: () => Date.now() + 11 * 60_000 }).fetchBundles(bob.userId))).toBe("stale");
    expect(stored()).toBeNull();

    await publishEpoch(); // nobody cosigns this one
    expect(await refusal(client().fetchBundles(bob.userId))).toBe("cosignatures_insufficient");
    expect(await refusal(client({ witnessVkeys: [], auditorVkeys: [] }).fetchBundles(bob.userId))).toBe("accepted");

    // A device of Bob's uploaded after the newest epoch (or planted in SQL) is served but not published.
    const late = await deviceWithKeys(bob.userId);
    expect(await refusal(client({ witnessVkeys: [], auditorVkeys: [] }).fetchBundles(bob.userId, late.deviceId))).toBe("key_mismatch");

    const other = { size: stored()!.size, rootHash: bytesToBase64(new Uint8Array(32).fill(7)) };
    expect(await refusal(client({ witnessVkeys: [], auditorVkeys: [], storage: { load: () => other, save: () => {} } }).fetchBundles(bob.userId))).toBe("consistency_invalid");
  });
});

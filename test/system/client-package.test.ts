// The client package as a stranger gets it (issue 13): built, packed, installed from the tarball
// into an empty project with no other dependencies, type-checked there, and driven from plain
// Node through a whole flow against the production server.
import { execFile, spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createLatchkeyClient } from "../../packages/client/src/index";
import { PreKeySignalMessage, ProtocolAddress, processPreKeyBundle, signalDecryptPreKey, signalEncrypt } from "@signalapp/libsignal-client";
import type { KeyBundleResponse } from "../../packages/client/src/index";
import { generateClientKeys, InMemorySignalStore, preKeyBundleFrom } from "../keys";
import { startSmtpCapture } from "../smtp";
import { systemFixtures } from "./fixtures";
import { startApp, startSystemDatabase, type AppInstance, type SystemDatabase } from "./stack";

const run = promisify(execFile);
const packageDir = path.resolve("packages/client");
const repoTsc = path.resolve("node_modules/.bin/tsc");

let database: SystemDatabase;
let smtp: Awaited<ReturnType<typeof startSmtpCapture>>;
let app: AppInstance;
let fixtures: Awaited<ReturnType<typeof systemFixtures>>;
let project: string;

beforeAll(async () => {
  [database, smtp, project] = await Promise.all([startSystemDatabase(), startSmtpCapture(), mkdtemp(path.join(tmpdir(), "latchkey-consumer-"))]);
  fixtures = await systemFixtures(database.url);
  app = await startApp({ databaseUrl: database.url, env: { SMTP_URL: smtp.url } });
});

afterAll(async () => {
  await Promise.all([app?.stop(), smtp?.close(), fixtures?.close()]);
  await database?.close();
  if (project) await rm(project, { recursive: true, force: true });
});

// Uses every export a client needs, with the types it should have: a wrong type fails tsc.
const CONSUMER_TS = `
import { ApiError, createLatchkeyClient, TransparencyError, type CheckpointStorage, type KeyBundleResponse, type LatchkeyClient, type MonitorReport, type PublishedDevice, type StoredCheckpoint, type TransparencyErrorCode } from "@latchkey/client";

const client: LatchkeyClient = createLatchkeyClient({ baseUrl: "https://latchkey.example" });
export async function firstPreKeyId(userId: string): Promise<number | undefined> {
  await client.requestCode({ phoneNumber: "+12125550123" });
  const bundles: KeyBundleResponse = await client.fetchBundles(userId);
  const { matches } = await client.lookUpPhoneNumbers(["+12125550123"]);
  const found: string | undefined = matches[0]?.userId;
  return found === undefined ? undefined : bundles.devices[0]?.preKey?.keyId;
}
export const wait = (error: unknown): number | null => (error instanceof ApiError && error.status === 429 ? error.retryAfter : null);

let saved: StoredCheckpoint | null = null;
const storage: CheckpointStorage = { load: () => saved, save: (checkpoint) => void (saved = checkpoint) };
const verified: LatchkeyClient = createLatchkeyClient({
  baseUrl: "https://latchkey.example",
  transparency: { logVkey: "latchkey.example/kt+00000000+AQ", vrfPublicKey: "AA==", witnessVkeys: [], auditorVkeys: [], maxAgeSeconds: 600, storage },
});
export async function unknownKeys(userId: string, knownDevices: PublishedDevice[]): Promise<number> {
  const report: MonitorReport = await verified.monitor({ userId, since: null, knownDevices });
  return report.versions.reduce((n, v) => n + v.unknownDevices.length, 0);
}
export const refusal = (error: unknown): TransparencyErrorCode | null => (error instanceof TransparencyError ? error.code : null);
`;

// The flow, in plain JavaScript: the code arrives on stdin once the test has read it from the mail.
const FLOW_MJS = `
import { createInterface } from "node:readline";
import { ApiError, createLatchkeyClient } from "@latchkey/client";

const [baseUrl, email, bobUsername, uploadJson] = process.argv.slice(2);
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
const anonymous = createLatchkeyClient({ baseUrl });
await anonymous.requestCode({ email });
console.log("code requested");
const code = (await lines.next()).value;
const { token, deviceId } = await anonymous.exchangeCode({ email, code, deviceName: "Packed client" });
const api = createLatchkeyClient({ baseUrl, token });
await api.uploadKeys(JSON.parse(uploadJson));
const counts = await api.countKeys();
const { userId: bobId } = await api.findByUsername(bobUsername);
const bundles = await api.fetchBundles(bobId, "*");
const failure = (error) => (error instanceof ApiError ? { status: error.status, code: error.code } : String(error));
// Bob deletes his account now; once the test says so, his keys are asked for again.
console.log("fetched");
await lines.next();
const afterDeletion = await api.fetchBundles(bobId, "*").then(() => null, failure);
await api.revokeDevice(deviceId);
const refused = await api.countKeys().then(() => null, failure);
console.log(JSON.stringify({ counts, bobId, bundles, afterDeletion, refused }));
process.exit(0);
`;

it("packs, installs offline, type-checks and runs a whole flow from plain Node", async () => {
  await run("npm", ["run", "build"], { cwd: packageDir });
  const { stdout: packed } = await run("npm", ["pack", "--json", "--pack-destination", project], { cwd: packageDir });
  const [{ filename }] = JSON.parse(packed) as [{ filename: string }];
  await writeFile(path.join(project, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  await run("npm", ["install", "--offline", "--no-audit", "--no-fund", path.join(project, filename)], { cwd: project });
  // noble is bundled: the installed package brings nothing else with it.
  const { stdout: installed } = await run("npm", ["ls", "--all", "--parseable"], { cwd: project });
  expect(installed.trim().split("\n").map((line) => path.relative(project, line))).toEqual(["", "node_modules/@latchkey/client"]);

  await writeFile(path.join(project, "consumer.ts"), CONSUMER_TS);
  await run(repoTsc, ["--noEmit", "--strict", "--target", "es2022", "--module", "nodenext", "--moduleResolution", "nodenext", "--lib", "es2023,dom", "consumer.ts"], { cwd: project });

  // Bob: an account with a username whose client device has uploaded its keys.
  const bob = await fixtures.client();
  const bobKeys = generateClientKeys({ preKeys: 2, pqPreKeys: 2 });
  const uploaded = await fetch(`${app.url}/api/keys`, { method: "PUT", headers: { authorization: bob.authorization, "content-type": "application/json" }, body: JSON.stringify(bobKeys.upload) });
  expect(uploaded.status).toBe(204);
  const { username } = await fixtures.prisma.user.findUniqueOrThrow({ where: { id: bob.userId } });

  const email = "packed.client@example.test";
  const ownKeys = generateClientKeys({ preKeys: 3, pqPreKeys: 1 });
  await writeFile(path.join(project, "flow.mjs"), FLOW_MJS);
  const flow = spawn(process.execPath, ["flow.mjs", app.url, email, username!, JSON.stringify(ownKeys.upload)], { cwd: project, stdio: ["pipe", "pipe", "inherit"] });
  let output = "";
  flow.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => flow.once("exit", resolve));
  const mail = await smtp.waitForMail(email, () => true, 30_000);
  flow.stdin.write(`${/\b(\d{6})\b/.exec(mail.text)![1]}\n`);

  // Bob deletes his account from his own client, with a fresh code.
  while (!output.includes("fetched")) await new Promise((resolve) => setTimeout(resolve, 100));
  const { email: bobEmail } = await fixtures.prisma.user.findUniqueOrThrow({ where: { id: bob.userId } });
  const bobApi = createLatchkeyClient({ baseUrl: app.url, token: bob.token });
  await bobApi.requestCode({ email: bobEmail! });
  const bobMail = await smtp.waitForMail(bobEmail!, () => true, 30_000);
  await bobApi.deleteAccount(/\b(\d{6})\b/.exec(bobMail.text)![1]!);
  flow.stdin.write("deleted\n");
  expect(await exited).toBe(0);

  const result = JSON.parse(output.trim().split("\n").at(-1)!) as { bundles: KeyBundleResponse } & Record<string, unknown>;
  expect(result).toEqual({
    counts: expect.objectContaining({ preKeys: 3, pqPreKeys: 1 }),
    bobId: bob.userId,
    bundles: { userId: bob.userId, devices: [expect.objectContaining({ deviceId: bob.deviceId, preKey: expect.objectContaining({ keyId: 1 }) })] },
    afterDeletion: { status: 404, code: "not_found" },
    refused: { status: 401, code: expect.any(String) },
  });

  // The bundle the packed client fetched starts a real Signal session (PQXDH) that Bob's keys open.
  const bobAddress = ProtocolAddress.new(bob.userId, 1);
  const senderAddress = ProtocolAddress.new("packed-client", 1);
  const senderStore = new InMemorySignalStore(generateClientKeys({ preKeys: 0, pqPreKeys: 0 }));
  const bobStore = new InMemorySignalStore(bobKeys);
  await processPreKeyBundle(preKeyBundleFrom(result.bundles.devices[0]!, 1), bobAddress, senderAddress, senderStore, senderStore);
  const sent = await signalEncrypt(new TextEncoder().encode("hello Bob"), bobAddress, senderAddress, senderStore, senderStore);
  const opened = await signalDecryptPreKey(PreKeySignalMessage.deserialize(sent.serialize()), senderAddress, bobAddress, bobStore, bobStore, bobStore, bobStore, bobStore);
  expect(new TextDecoder().decode(opened)).toBe("hello Bob");
});

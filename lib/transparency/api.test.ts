import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeDeviceKeys, searchAnswerFromJson, verifySearch } from "../../packages/client/src/transparency/index";
import { signedInClient } from "../../test/api-fixtures";
import { startApiServer, type ApiServer } from "../../test/http-server";
import { generateClientKeys } from "../../test/keys";
import { prisma } from "../db";
import { keyUploadSchema } from "../keys/formats";
import { uploadKeys } from "../keys/upload";
import { transparencyKeys } from "./keys";
import { publishEpoch } from "./publish";

let server: ApiServer;
beforeAll(async () => {
  server = await startApiServer();
});
afterAll(() => server.close());

async function post(token: string, body: unknown): Promise<Response> {
  return fetch(`${server.url}/api/kt/search`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: JSON.stringify(body) });
}

describe("key transparency API", () => {
  it("serves the checkpoint and a search answer that verifies; bad input is a 400", async () => {
    const client = await signedInClient(server.url);
    expect((await post(client.token, { userId: "not-a-uuid" })).status).toBe(400);
    expect((await post(client.token, { userId: client.userId, trustedSize: -1 })).status).toBe(400);
    expect((await fetch(`${server.url}/api/kt/checkpoint`)).status).toBe(404);

    await publishEpoch();
    const { checkpoint } = (await (await fetch(`${server.url}/api/kt/checkpoint`)).json()) as { checkpoint: string };
    expect(checkpoint.split("\n")[1]).toBe("1");
    // The account has no device with an identity key: its keys label is not in the log.
    expect((await post(client.token, { userId: client.userId })).status).toBe(404);

    const keys = transparencyKeys();
    const policy = { origin: keys.origin, logVkey: keys.logVkey, vrfPublicKey: keys.vrfPublicKey, witnessVkeys: [], minWitnesses: 0, requiredCosignerVkeys: [], maxAgeSeconds: 3600 };
    await uploadKeys({ id: client.deviceId, userId: client.userId }, keyUploadSchema.parse(generateClientKeys({ preKeys: 1, pqPreKeys: 1 }).upload));
    await publishEpoch();
    const answer = searchAnswerFromJson(await (await post(client.token, { userId: client.userId, trustedSize: 1 })).json());
    const first = await prisma.ktEpoch.findUniqueOrThrow({ where: { index: 0 } });
    const verified = verifySearch(policy, { size: 1, rootHash: new Uint8Array(Buffer.from(first.checkpoint.split("\n")[2]!, "base64")) }, answer);
    expect(decodeDeviceKeys(verified.value).map((d) => d.deviceId)).toEqual([client.deviceId]);
  });
});

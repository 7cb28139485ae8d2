import { afterAll, beforeEach, describe, expect, it } from "vitest";
import {
  CiphertextMessageType,
  PreKeyRecord,
  PreKeySignalMessage,
  PrivateKey,
  ProtocolAddress,
  SignalMessage,
  processPreKeyBundle,
  signalDecrypt,
  signalDecryptPreKey,
  signalEncrypt,
} from "@signalapp/libsignal-client";
import { resetDatabase } from "../../test/db";
import { signedInClient, type SignedInClient } from "../../test/api-fixtures";
import { startApiServer } from "../../test/http-server";
import { encodeBase64 } from "../keys/base64";
import { generateClientKeys, InMemorySignalStore, preKeyBundleFrom } from "../../test/keys";

// The "done means": real Signal-protocol clients (libsignal) use the directory through the
// HTTP API. Alice uploads the keys her client made; others fetch her bundle, build a session from
// it and message her; she decrypts with the private keys she kept — with a one-time key, and
// again after the one-time keys ran out (last-resort Kyber key, no EC one-time key).

const server = await startApiServer();
afterAll(() => server.close());
beforeEach(resetDatabase);

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/** `sender` fetches Alice's bundle over HTTP, sends her a first message, and she answers. */
async function messageAlice(alice: SignedInClient, aliceStore: InMemorySignalStore, sender: SignedInClient, message: string) {
  const aliceAddress = ProtocolAddress.new(alice.userId, 1);
  const senderAddress = ProtocolAddress.new(sender.userId, 1);
  const senderStore = new InMemorySignalStore(generateClientKeys({ preKeys: 0, pqPreKeys: 0 }));

  const { devices } = await sender.api.fetchBundles(alice.userId, "*");
  expect(devices).toHaveLength(1);
  const bundle = devices[0]!;
  await processPreKeyBundle(preKeyBundleFrom(bundle, 1), aliceAddress, senderAddress, senderStore, senderStore);
  const sent = await signalEncrypt(new TextEncoder().encode(message), aliceAddress, senderAddress, senderStore, senderStore);
  expect(sent.type()).toBe(CiphertextMessageType.PreKey);

  const received = PreKeySignalMessage.deserialize(sent.serialize());
  const plaintext = await signalDecryptPreKey(received, senderAddress, aliceAddress, aliceStore, aliceStore, aliceStore, aliceStore, aliceStore);

  const reply = await signalEncrypt(new TextEncoder().encode(`re: ${message}`), senderAddress, aliceAddress, aliceStore, aliceStore);
  const replyPlaintext = await signalDecrypt(SignalMessage.deserialize(reply.serialize()), aliceAddress, senderAddress, senderStore, senderStore);
  return { bundle, received: text(plaintext), reply: text(replyPlaintext), usedPreKeyId: received.preKeyId() };
}

describe("a libsignal session built from keys served by the HTTP API", () => {
  it("works with one-time keys, and with the last-resort key once they ran out", async () => {
    const alice = await signedInClient(server.url);
    const aliceKeys = generateClientKeys({ preKeys: 1, pqPreKeys: 1 });
    const aliceStore = new InMemorySignalStore(aliceKeys);
    await alice.api.uploadKeys(aliceKeys.upload);

    const bob = await messageAlice(alice, aliceStore, await signedInClient(server.url), "hello from Bob");
    expect(bob).toMatchObject({ received: "hello from Bob", reply: "re: hello from Bob", usedPreKeyId: 1 });
    expect(bob.bundle.preKey).toEqual(aliceKeys.upload.preKeys![0]);
    expect(bob.bundle.pqPreKey).toEqual(aliceKeys.upload.pqPreKeys![0]);
    expect(await alice.api.countKeys()).toMatchObject({ preKeys: 0, pqPreKeys: 0 });

    const carol = await messageAlice(alice, aliceStore, await signedInClient(server.url), "hello from Carol");
    expect(carol).toMatchObject({ received: "hello from Carol", reply: "re: hello from Carol", usedPreKeyId: null });
    expect(carol.bundle.preKey).toBeNull();
    expect(carol.bundle.pqPreKey).toEqual(aliceKeys.upload.pqLastResortPreKey);

    // Alice refills her EC one-time keys; the next sender gets one of them, and she decrypts.
    const refill = [2, 3].map((keyId) => {
      const privateKey = PrivateKey.generate();
      return PreKeyRecord.new(keyId, privateKey.getPublicKey(), privateKey);
    });
    for (const record of refill) await aliceStore.savePreKey(record.id(), record);
    await alice.api.uploadKeys({
      identityKey: aliceKeys.upload.identityKey,
      registrationId: aliceKeys.registrationId,
      preKeys: refill.map((record) => ({ keyId: record.id(), publicKey: encodeBase64(record.publicKey().serialize()) })),
    });
    expect(await alice.api.countKeys()).toMatchObject({ preKeys: 2, pqPreKeys: 0 });
    const dave = await messageAlice(alice, aliceStore, await signedInClient(server.url), "hello from Dave");
    expect(dave).toMatchObject({ received: "hello from Dave", usedPreKeyId: dave.bundle.preKey!.keyId });
    expect(dave.bundle.pqPreKey.keyId).toBe(aliceKeys.upload.pqLastResortPreKey!.keyId);
  });
});

import { describe, expect, it } from "vitest";
import {
  CiphertextMessageType,
  PreKeySignalMessage,
  PrivateKey,
  ProtocolAddress,
  SignalMessage,
  processPreKeyBundle,
  signalDecrypt,
  signalDecryptPreKey,
  signalEncrypt,
} from "@signalapp/libsignal-client";
import { encodeBase64 } from "./base64";
import { deviceKeyBundleSchema, keyUploadSchema, type DeviceKeyBundle, type KeyUpload } from "./formats";
import { generateClientKeys, InMemorySignalStore, preKeyBundleFrom, type ClientKeys } from "../../test/keys";
import { verifyUploadSignatures } from "./verify-upload";

const alice = generateClientKeys({ preKeys: 2, pqPreKeys: 5 });
const parsed = keyUploadSchema.parse(alice.upload);
const stranger = PrivateKey.generate();

type KyberPreKey = NonNullable<KeyUpload["pqPreKeys"]>[number];

function withPqPreKey(index: number, change: Partial<KyberPreKey>): KeyUpload {
  const pqPreKeys = parsed.pqPreKeys!.map((key, i) => (i === index ? { ...key, ...change } : key));
  return { ...parsed, pqPreKeys };
}

describe("verifyUploadSignatures", () => {
  it("accepts every signature a libsignal client makes", async () => {
    expect(await verifyUploadSignatures(parsed.identityKey, parsed)).toEqual({ ok: true });
  });

  it("accepts an upload with nothing signed in it", async () => {
    const { identityKey, registrationId, preKeys } = parsed;
    expect(await verifyUploadSignatures(identityKey, { identityKey, registrationId, preKeys })).toEqual({ ok: true });
  });

  it("names the first key whose signature fails", async () => {
    const badSignature = Uint8Array.from(parsed.signedPreKey!.signature);
    badSignature[0]! ^= 1;
    const bySomeoneElse = stranger.sign(parsed.pqLastResortPreKey!.publicKey);

    expect(await verifyUploadSignatures(parsed.identityKey, { ...parsed, signedPreKey: { ...parsed.signedPreKey!, signature: badSignature } }))
      .toEqual({ ok: false, failed: "signedPreKey" });
    expect(await verifyUploadSignatures(parsed.identityKey, withPqPreKey(3, { signature: parsed.pqPreKeys![2]!.signature })))
      .toEqual({ ok: false, failed: "pqPreKeys[3]" });
    expect(await verifyUploadSignatures(parsed.identityKey, { ...parsed, pqLastResortPreKey: { ...parsed.pqLastResortPreKey!, signature: bySomeoneElse } }))
      .toEqual({ ok: false, failed: "pqLastResortPreKey" });
  });

  it("requires the signature to cover the type byte, as libsignal signs it", async () => {
    const keyWithoutTypeByte = parsed.pqPreKeys![0]!.publicKey.subarray(1);
    const signature = alice.identityKeyPair.privateKey.sign(Uint8Array.from(keyWithoutTypeByte));
    expect(await verifyUploadSignatures(parsed.identityKey, withPqPreKey(0, { signature })))
      .toEqual({ ok: false, failed: "pqPreKeys[0]" });
  });

  it("checks against the identity key it is given, not the one in the upload", async () => {
    const otherIdentity = stranger.getPublicKey().serialize();
    expect(await verifyUploadSignatures(otherIdentity, parsed)).toEqual({ ok: false, failed: "signedPreKey" });
  });
});

// What the directory would serve for Alice's device, from the bytes it parsed and verified.
function servedBundle(upload: KeyUpload, preKeyIndex: number | null, pqPreKeyIndex: number | null): DeviceKeyBundle {
  const preKey = preKeyIndex === null ? null : upload.preKeys![preKeyIndex]!;
  const pqPreKey = pqPreKeyIndex === null ? upload.pqLastResortPreKey! : upload.pqPreKeys![pqPreKeyIndex]!;
  const signedPreKey = upload.signedPreKey!;
  return deviceKeyBundleSchema.parse({
    deviceId: "4f6c2a52-2c0b-4d8e-9a53-0f1c7a7e9b10",
    registrationId: upload.registrationId,
    identityKey: encodeBase64(upload.identityKey),
    signedPreKey: { keyId: signedPreKey.keyId, publicKey: encodeBase64(signedPreKey.publicKey), signature: encodeBase64(signedPreKey.signature) },
    preKey: preKey && { keyId: preKey.keyId, publicKey: encodeBase64(preKey.publicKey) },
    pqPreKey: { keyId: pqPreKey.keyId, publicKey: encodeBase64(pqPreKey.publicKey), signature: encodeBase64(pqPreKey.signature) },
  });
}

/** Bob fetches Alice's bundle, sends her a first message, and they exchange a reply. */
async function converse(aliceKeys: ClientKeys, bundle: DeviceKeyBundle) {
  const aliceAddress = ProtocolAddress.new("alice", 1);
  const bobAddress = ProtocolAddress.new("bob", 1);
  const aliceStore = new InMemorySignalStore(aliceKeys);
  const bobStore = new InMemorySignalStore(generateClientKeys({ preKeys: 0, pqPreKeys: 0 }));

  await processPreKeyBundle(preKeyBundleFrom(bundle, 1), aliceAddress, bobAddress, bobStore, bobStore);
  const first = await signalEncrypt(new TextEncoder().encode("hello Alice"), aliceAddress, bobAddress, bobStore, bobStore);
  expect(first.type()).toBe(CiphertextMessageType.PreKey);

  const preKeyMessage = PreKeySignalMessage.deserialize(first.serialize());
  const received = await signalDecryptPreKey(preKeyMessage, bobAddress, aliceAddress, aliceStore, aliceStore, aliceStore, aliceStore, aliceStore);

  const reply = await signalEncrypt(new TextEncoder().encode("hello Bob"), bobAddress, aliceAddress, aliceStore, aliceStore);
  const replyReceived = await signalDecrypt(SignalMessage.deserialize(reply.serialize()), aliceAddress, bobAddress, bobStore, bobStore);

  return {
    received: new TextDecoder().decode(received),
    replyReceived: new TextDecoder().decode(replyReceived),
    usedPreKeyId: preKeyMessage.preKeyId(),
    aliceStore,
  };
}

describe("an upload that passes is one another client can message (no server)", () => {
  it("with a one-time EC prekey and a one-time Kyber prekey", async () => {
    const bundle = servedBundle(parsed, 1, 4);
    const conversation = await converse(alice, bundle);

    expect(conversation).toMatchObject({ received: "hello Alice", replyReceived: "hello Bob", usedPreKeyId: 2 });
    // Alice's client drops the one-time keys the session consumed.
    await expect(conversation.aliceStore.getPreKey(2)).rejects.toThrow();
    await expect(conversation.aliceStore.getKyberPreKey(bundle.pqPreKey.keyId)).rejects.toThrow();
  });

  it("with no EC prekey left and the last-resort Kyber key", async () => {
    const bundle = servedBundle(parsed, null, null);
    expect(bundle.pqPreKey.keyId).toBe(alice.upload.pqLastResortPreKey!.keyId);
    const conversation = await converse(alice, bundle);

    expect(conversation).toMatchObject({ received: "hello Alice", replyReceived: "hello Bob", usedPreKeyId: null });
    await expect(conversation.aliceStore.getKyberPreKey(bundle.pqPreKey.keyId)).resolves.toBeDefined();
  });
});

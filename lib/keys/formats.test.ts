import { describe, expect, it } from "vitest";
import { z } from "zod";
import { BASE64_PATTERN, decodeBase64, encodeBase64 } from "./base64";
import {
  deviceKeyBundleSchema,
  findOversizedKeyList,
  keyBundleResponseSchema,
  keyCountResponseSchema,
  keyUploadSchema,
  MAX_KEY_ID,
  MAX_KEYS_PER_LIST,
} from "./formats";
import { generateClientKeys } from "../../test/keys";

const client = generateClientKeys({ preKeys: 3, pqPreKeys: 3 });
const upload = client.upload;
const signedPreKey = upload.signedPreKey!;
const pqLastResortPreKey = upload.pqLastResortPreKey!;

const base64Of = (...bytes: number[]) => encodeBase64(Uint8Array.from(bytes));
const BASE64_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
// "xy==" carries one byte in 12 bits; setting one of the 4 spare bits of "y" keeps the byte.
const withSpareBitSet = (padded: string) =>
  padded.replace(/(.)==$/, (_, last: string) => `${BASE64_ALPHABET[BASE64_ALPHABET.indexOf(last) | 1]}==`);
const withType = (typeByte: number, length: number) => base64Of(typeByte, ...new Array<number>(length - 1).fill(7));

/** The paths of the issues parsing `body` raises, e.g. ["preKeys.1.keyId"]. */
function issuePaths(body: unknown): string[] {
  const result = keyUploadSchema.safeParse(body);
  return result.success ? [] : result.error.issues.map((issue) => issue.path.join("."));
}

describe("decodeBase64", () => {
  // The definition it must match: the alphabet and padding of BASE64_PATTERN, and zero unused bits.
  const byDefinition = (text: string) =>
    BASE64_PATTERN.test(text) && encodeBase64(Buffer.from(text, "base64")).replace(/=+$/, "") === text.replace(/=+$/, "");

  it("refuses exactly what the pattern and the zero-bits rule refuse, on 20,000 seeded mutations", () => {
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_ *\n";
    let seed = 12345;
    const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let i = 0; i < 20_000; i++) {
      let text = encodeBase64(Uint8Array.from({ length: random(40) }, () => random(256)));
      if (random(2) === 0) text = text.replace(/=+$/, "");
      for (let edits = random(3); edits > 0 && text.length > 0; edits--) {
        const at = random(text.length);
        text = text.slice(0, at) + alphabet[random(alphabet.length)] + text.slice(at + random(2));
      }
      const decoded = decodeBase64(text);
      expect(decoded !== null, JSON.stringify(text)).toBe(byDefinition(text));
      if (decoded) expect(encodeBase64(decoded).replace(/=+$/, "")).toBe(text.replace(/=+$/, ""));
    }
  });

  it("accepts standard base64 with or without padding, and nothing else", () => {
    expect(decodeBase64("AAE=")).toEqual(Uint8Array.from([0, 1]));
    expect(decodeBase64("AAE")).toEqual(Uint8Array.from([0, 1]));
    expect(decodeBase64("")).toEqual(new Uint8Array(0));
    for (const text of ["AAE==", "AA=E", "A", "AAE ", " AAE", "AA\nE", "+/-_", "AA*E", "AAF", "AAF="]) {
      expect(decodeBase64(text), text).toBeNull();
    }
  });
});

describe("keyUploadSchema", () => {
  it("decodes a libsignal client's upload into its serialized bytes", () => {
    const parsed = keyUploadSchema.parse(upload);
    expect(parsed.identityKey).toEqual(client.identityKeyPair.publicKey.serialize());
    expect(parsed.registrationId).toBe(client.registrationId);
    expect(parsed.signedPreKey?.publicKey).toEqual(client.signedPreKeys.get(1)!.publicKey().serialize());
    expect(parsed.preKeys?.map((key) => key.keyId)).toEqual([1, 2, 3]);
    expect(parsed.preKeys?.[2]?.publicKey).toEqual(client.preKeys.get(3)!.publicKey().serialize());
    expect(parsed.pqPreKeys?.[0]?.publicKey).toEqual(client.kyberPreKeys.get(1)!.publicKey().serialize());
    expect(parsed.pqPreKeys?.[0]?.signature).toEqual(client.kyberPreKeys.get(1)!.signature());
    expect(parsed.pqLastResortPreKey?.keyId).toBe(4);
    expect(parsed.identityKey).toBeInstanceOf(Uint8Array);
  });

  it("accepts an upload of the identity alone, and empty lists", () => {
    const identityOnly = { identityKey: upload.identityKey, registrationId: 1 };
    expect(keyUploadSchema.safeParse(identityOnly).success).toBe(true);
    expect(keyUploadSchema.safeParse({ ...identityOnly, preKeys: [], pqPreKeys: [] }).success).toBe(true);
  });

  it("accepts base64 without padding", () => {
    expect(signedPreKey.signature).toMatch(/==$/);
    const unpadded = { ...signedPreKey, signature: signedPreKey.signature.replace(/=+$/, "") };
    const parsed = keyUploadSchema.parse({ ...upload, signedPreKey: unpadded });
    expect(parsed.signedPreKey?.signature).toEqual(client.signedPreKeys.get(1)!.signature());
  });

  it.each([
    ["URL-safe alphabet", signedPreKey.signature.replace(/.{2}/, "-_")],
    ["whitespace", ` ${signedPreKey.signature.slice(1)}`],
    ["a character outside the alphabet", `*${signedPreKey.signature.slice(1)}`],
    ["misplaced padding", `${signedPreKey.signature.slice(0, 40)}==${signedPreKey.signature.slice(42)}`],
    ["non-zero unused bits", withSpareBitSet(signedPreKey.signature)],
    ["a number", 12345],
  ])("refuses a signature in %s", (_, signature) => {
    if (typeof signature === "string") expect(signature).not.toBe(signedPreKey.signature);
    expect(issuePaths({ ...upload, signedPreKey: { ...signedPreKey, signature } })).toEqual(["signedPreKey.signature"]);
  });

  it.each([
    ["identity key of 32 bytes", { identityKey: withType(0x05, 32) }, "identityKey"],
    ["identity key of 34 bytes", { identityKey: withType(0x05, 34) }, "identityKey"],
    ["identity key of type 0x08", { identityKey: withType(0x08, 33) }, "identityKey"],
    ["EC prekey of type 0x08", { preKeys: [{ keyId: 1, publicKey: withType(0x08, 33) }] }, "preKeys.0.publicKey"],
    ["signed prekey of 1569 bytes", { signedPreKey: { ...signedPreKey, publicKey: withType(0x05, 1569) } }, "signedPreKey.publicKey"],
    ["Kyber key of 1568 bytes", { pqLastResortPreKey: { ...pqLastResortPreKey, publicKey: withType(0x08, 1568) } }, "pqLastResortPreKey.publicKey"],
    ["Kyber key of 1570 bytes", { pqLastResortPreKey: { ...pqLastResortPreKey, publicKey: withType(0x08, 1570) } }, "pqLastResortPreKey.publicKey"],
    ["Kyber key of type 0x05", { pqLastResortPreKey: { ...pqLastResortPreKey, publicKey: withType(0x05, 1569) } }, "pqLastResortPreKey.publicKey"],
    ["signature of 63 bytes", { signedPreKey: { ...signedPreKey, signature: withType(0, 63) } }, "signedPreKey.signature"],
    ["signature of 65 bytes", { signedPreKey: { ...signedPreKey, signature: withType(0, 65) } }, "signedPreKey.signature"],
    ["missing signature", { signedPreKey: { keyId: 1, publicKey: signedPreKey.publicKey } }, "signedPreKey.signature"],
    ["missing identity key", { identityKey: undefined }, "identityKey"],
  ])("refuses a %s", (_, change, path) => {
    expect(issuePaths({ ...upload, ...change })).toEqual([path]);
  });

  it.each([
    [0, true],
    [MAX_KEY_ID, true],
    [-1, false],
    [MAX_KEY_ID + 1, false],
    [1.5, false],
    ["1", false],
  ])("keyId %s is accepted: %s", (keyId, accepted) => {
    const body = { ...upload, signedPreKey: { ...signedPreKey, keyId }, preKeys: [{ ...upload.preKeys![0]!, keyId }] };
    expect(issuePaths(body)).toEqual(accepted ? [] : ["signedPreKey.keyId", "preKeys.0.keyId"]);
  });

  it.each([
    [1, true],
    [16380, true],
    [0, false],
    [16381, false],
    [2.5, false],
  ])("registrationId %s is accepted: %s", (registrationId, accepted) => {
    expect(issuePaths({ ...upload, registrationId })).toEqual(accepted ? [] : ["registrationId"]);
  });

  it("refuses a keyId twice in one list, naming each repeat", () => {
    const [first, second] = upload.preKeys!;
    const preKeys = [first!, { ...second!, keyId: first!.keyId }, { ...second!, keyId: first!.keyId }];
    expect(issuePaths({ ...upload, preKeys })).toEqual(["preKeys.1.keyId", "preKeys.2.keyId"]);

    const pqPreKeys = [...upload.pqPreKeys!, { ...upload.pqPreKeys![0]!, publicKey: pqLastResortPreKey.publicKey }];
    expect(issuePaths({ ...upload, pqPreKeys })).toEqual(["pqPreKeys.3.keyId"]);
  });

  it("refuses a last-resort Kyber keyId that a one-time Kyber key also uses", () => {
    const body = { ...upload, pqLastResortPreKey: { ...pqLastResortPreKey, keyId: upload.pqPreKeys![1]!.keyId } };
    expect(issuePaths(body)).toEqual(["pqLastResortPreKey.keyId"]);
  });

  it("lets one keyId appear in different kinds of key", () => {
    expect(upload.preKeys![0]!.keyId).toBe(upload.pqPreKeys![0]!.keyId);
    expect(upload.signedPreKey!.keyId).toBe(upload.preKeys![0]!.keyId);
    expect(issuePaths(upload)).toEqual([]);
  });

  it("leaves the list limit to findOversizedKeyList, so the route can answer 413", () => {
    const preKey = upload.preKeys![0]!;
    const longList = Array.from({ length: MAX_KEYS_PER_LIST + 1 }, (_, keyId) => ({ ...preKey, keyId }));
    const fullList = longList.slice(0, MAX_KEYS_PER_LIST);

    expect(findOversizedKeyList({ ...upload, preKeys: fullList, pqPreKeys: fullList })).toBeNull();
    expect(findOversizedKeyList({ ...upload, preKeys: longList })).toBe("preKeys");
    expect(findOversizedKeyList({ ...upload, pqPreKeys: longList })).toBe("pqPreKeys");
    expect(findOversizedKeyList({ preKeys: "not a list" })).toBeNull();
    expect(findOversizedKeyList(null)).toBeNull();
    expect(findOversizedKeyList([longList])).toBeNull();
    expect(keyUploadSchema.safeParse({ ...upload, preKeys: longList }).success).toBe(true);
  });

  it("converts to JSON Schema as the request body a client sends", () => {
    const jsonSchema = z.toJSONSchema(keyUploadSchema, { io: "input" });
    expect(jsonSchema.$ref).toBe("#/$defs/KeyUpload");
    expect(Object.keys(jsonSchema.$defs ?? {})).toEqual(["KeyUpload", "SignedPreKeyUpload", "PreKeyUpload", "KyberPreKeyUpload"]);
    expect(jsonSchema.$defs?.KyberPreKeyUpload).toMatchObject({
      required: ["keyId", "publicKey", "signature"],
      properties: { publicKey: { type: "string", contentEncoding: "base64", minLength: 2092, maxLength: 2092 } },
    });
    expect(jsonSchema.$defs?.KeyUpload).toMatchObject({ required: ["identityKey", "registrationId"] });
  });
});

describe("response schemas", () => {
  const deviceBundle = {
    deviceId: "4f6c2a52-2c0b-4d8e-9a53-0f1c7a7e9b10",
    registrationId: upload.registrationId,
    identityKey: upload.identityKey,
    signedPreKey,
    preKey: upload.preKeys![0]!,
    pqPreKey: pqLastResortPreKey,
  };
  const response = { userId: "0b7f5a0e-8d7e-4a55-bd0c-2f2c1f5b8a31", devices: [deviceBundle] };

  it("describe a bundle, with or without a one-time EC prekey", () => {
    expect(keyBundleResponseSchema.safeParse(response).success).toBe(true);
    expect(deviceKeyBundleSchema.safeParse({ ...deviceBundle, preKey: null }).success).toBe(true);
    expect(deviceKeyBundleSchema.safeParse({ ...deviceBundle, pqPreKey: undefined }).success).toBe(false);
    expect(keyCountResponseSchema.safeParse({ preKeys: 0, pqPreKeys: 100 }).success).toBe(true);
    expect(keyCountResponseSchema.safeParse({ preKeys: -1, pqPreKeys: 0 }).success).toBe(false);
  });

  it("convert to JSON Schema", () => {
    const bundles = z.toJSONSchema(keyBundleResponseSchema);
    expect(Object.keys(bundles.$defs ?? {})).toEqual(["KeyBundles", "DeviceKeyBundle", "SignedPreKey", "PreKey", "KyberPreKey"]);
    expect(bundles.$defs?.DeviceKeyBundle).toMatchObject({
      properties: { preKey: { anyOf: [{ $ref: "#/$defs/PreKey" }, { type: "null" }] } },
    });
    expect(z.toJSONSchema(keyCountResponseSchema, { io: "input" }).$ref).toBe("#/$defs/KeyCount");
  });
});

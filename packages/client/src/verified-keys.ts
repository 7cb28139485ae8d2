// Key transparency for the client (issue 23, ADR 0077): the checks a fetched identity key must
// pass before an app trusts it, and the owner's monitoring of its own keys. Every failure is a
// TransparencyError with a code; nothing falls back to trusting the server.
import { base64ToBytes, bytesEqual, bytesToBase64 } from "./transparency/bytes.js";
import { TransparencyError } from "./transparency/errors.js";
import { decodeDeviceKeys } from "./transparency/log-entry.js";
import { verifyMonitor } from "./transparency/monitor.js";
import { parseVkey } from "./transparency/note.js";
import { verifyIdentityKey, type TransparencyPolicy, type TrustedCheckpoint } from "./transparency/verify.js";
import { monitorAnswerFromJson, searchAnswerFromJson } from "./transparency/wire.js";

/** The last checkpoint the client accepted, as it is stored (JSON-friendly). */
export type StoredCheckpoint = { size: number; rootHash: string };

/** Where the app keeps the last accepted checkpoint (a file, localStorage, a keychain…). */
export interface CheckpointStorage {
  load(): StoredCheckpoint | null | Promise<StoredCheckpoint | null>;
  save(checkpoint: StoredCheckpoint): void | Promise<void>;
}

export type TransparencyOptions = {
  /** The log's checkpoint key as a C2SP vkey (`<origin>+<id>+<key>`). Pin it in the app. */
  logVkey: string;
  /** The log's VRF public key, base64 (32 bytes). */
  vrfPublicKey: string;
  /** Witnesses' cosignature/v1 vkeys; `minWitnesses` of them must cosign. */
  witnessVkeys?: string[];
  /** Default: 1 when witnesses are given, else 0. */
  minWitnesses?: number;
  /** Auditors' vkeys: every one must cosign. */
  auditorVkeys?: string[];
  /** How old the newest cosignature and the newest epoch may be, in seconds. Default 600. */
  maxAgeSeconds?: number;
  /** The checkpoint's origin line; default: the log key's name. */
  origin?: string;
  storage: CheckpointStorage;
  /** The clock, in ms (tests). */
  now?: () => number;
};

/** A device key as the log publishes it. */
export type PublishedDevice = { deviceId: string; identityKey: Uint8Array };

export type MonitoredKeyVersion = {
  version: number;
  /** The epoch that first held this version, and when it was published (ms since 1970). */
  epoch: number;
  publishedAt: number;
  /** The account's devices in this version; an empty list with `deleted` for a tombstone. */
  devices: PublishedDevice[];
  deleted: boolean;
  /** Devices in this version whose key is none of `knownDevices`: someone else's, unless explained. */
  unknownDevices: PublishedDevice[];
};

export type MonitorReport = {
  /** The greatest version now: pass it as `since` next time. */
  version: number;
  versions: MonitoredKeyVersion[];
};

type Post = (path: string, body: unknown) => Promise<unknown>;

function policyOf(options: TransparencyOptions): TransparencyPolicy {
  const witnessVkeys = options.witnessVkeys ?? [];
  return {
    origin: options.origin ?? parseVkey(options.logVkey).name,
    logVkey: options.logVkey,
    vrfPublicKey: base64ToBytes(options.vrfPublicKey),
    witnessVkeys,
    minWitnesses: options.minWitnesses ?? (witnessVkeys.length > 0 ? 1 : 0),
    requiredCosignerVkeys: options.auditorVkeys ?? [],
    maxAgeSeconds: options.maxAgeSeconds ?? 600,
  };
}

export function transparencyVerifier(options: TransparencyOptions, post: Post) {
  const policy = policyOf(options);
  const now = options.now ?? Date.now;

  async function trusted(): Promise<TrustedCheckpoint | null> {
    const stored = await options.storage.load();
    return stored ? { size: stored.size, rootHash: base64ToBytes(stored.rootHash) } : null;
  }

  // Two verifications may finish in either order: keep the larger checkpoint (both are consistent with the stored one).
  async function keep(checkpoint: TrustedCheckpoint): Promise<void> {
    const stored = await options.storage.load();
    if (!stored || checkpoint.size > stored.size) await options.storage.save({ size: checkpoint.size, rootHash: bytesToBase64(checkpoint.rootHash) });
  }

  return {
    /** Checks that every served (device, identity key) of `userId` is the one the log publishes now. */
    async verifyDevices(userId: string, served: readonly { deviceId: string; identityKey: string }[]): Promise<void> {
      const before = await trusted();
      const answer = searchAnswerFromJson(await post("/api/kt/search", { userId, trustedSize: before?.size ?? 0 }));
      const [first, ...others] = served.map((d) => ({ userId, deviceId: d.deviceId, identityKey: base64ToBytes(d.identityKey) }));
      if (!first) return;
      // The whole proof once; the other devices of the same answer only need to be in its key set.
      const result = verifyIdentityKey(policy, before, answer, first, now());
      for (const device of others) {
        const published = result.devices.find((d) => d.deviceId === device.deviceId);
        if (!published || !bytesEqual(published.identityKey, device.identityKey)) throw new TransparencyError("key_mismatch", `device ${device.deviceId}'s identity key is not the published one`);
      }
      await keep(result.trusted);
    },

    async monitor(input: { userId: string; since: number | null; knownDevices: readonly PublishedDevice[] }): Promise<MonitorReport> {
      const before = await trusted();
      const json = await post("/api/kt/monitor", { userId: input.userId, kind: "keys", since: input.since, trustedSize: before?.size ?? 0 });
      const result = verifyMonitor(policy, before, monitorAnswerFromJson(json), input.since, now());
      await keep(result.trusted);
      const known = (device: PublishedDevice) => input.knownDevices.some((k) => k.deviceId === device.deviceId && bytesEqual(k.identityKey, device.identityKey));
      return {
        version: result.version,
        versions: result.history.map((item) => {
          const devices = item.value.length === 0 ? [] : decodeDeviceKeys(item.value);
          return { version: item.version, epoch: item.epoch, publishedAt: item.timestamp, devices, deleted: item.value.length === 0, unknownDevices: devices.filter((d) => !known(d)) };
        }),
      };
    },
  };
}

export { TransparencyError };

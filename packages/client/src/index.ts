export { ApiError, createLatchkeyClient } from "./client.js";
export type { ClientOptions, CodeRecipient, LatchkeyClient } from "./client.js";
export type * from "./types.js";
export { TransparencyError } from "./verified-keys.js";
export type { CheckpointStorage, MonitoredKeyVersion, MonitorReport, PublishedDevice, StoredCheckpoint, TransparencyOptions } from "./verified-keys.js";
export type { TransparencyErrorCode } from "./transparency/errors.js";

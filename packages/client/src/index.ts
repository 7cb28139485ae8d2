export { ApiError, createLatchkeyClient } from "./client.js";
export type { ClientOptions, CodeRecipient, LatchkeyClient } from "./client.js";
export type * from "./types.js";

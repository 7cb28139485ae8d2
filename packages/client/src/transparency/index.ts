/** The transparency core, shared by the server (lib/) and, once bundled, the client package. */
export * from "./errors.js";
export * from "./bytes.js";
export * from "./vrf.js";
export * from "./merkle.js";
export * from "./note.js";
export * from "./commitment.js";
export * from "./prefix-tree.js";
export * from "./ladder.js";
export * from "./prove.js";
export * from "./log-entry.js";
export * from "./verify.js";
export * from "./witness.js";
export * from "./monitor.js";
export * from "./wire.js";
export * from "./audit.js";

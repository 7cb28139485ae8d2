/** The transparency core, shared by the server (lib/) and, once bundled, the client package. */
export * from "./errors";
export * from "./bytes";
export * from "./vrf";
export * from "./merkle";
export * from "./note";
export * from "./commitment";
export * from "./prefix-tree";
export * from "./ladder";
export * from "./prove";
export * from "./log-entry";
export * from "./verify";
export * from "./witness";
export * from "./monitor";
export * from "./wire";
export * from "./audit";

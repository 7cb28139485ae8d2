/**
 * Every verification failure in the transparency code is this one error type, so an app can tell
 * "the server's answer did not prove what it claimed" apart from a network or programming fault,
 * and show a message by `code` instead of parsing text.
 */
export type TransparencyErrorCode =
  | "malformed"
  | "vrf_invalid"
  | "inclusion_invalid"
  | "consistency_invalid"
  | "prefix_proof_invalid"
  | "commitment_invalid"
  | "signature_invalid"
  | "unknown_key"
  | "checkpoint_invalid"
  | "cosignatures_insufficient"
  | "stale"
  | "ladder_invalid"
  | "rollback"
  | "key_mismatch";

export class TransparencyError extends Error {
  readonly code: TransparencyErrorCode;

  constructor(code: TransparencyErrorCode, message: string) {
    super(message);
    this.name = "TransparencyError";
    this.code = code;
  }
}

/** Throws a TransparencyError unless the condition holds: verifiers read as a list of checks. */
export function check(condition: boolean, code: TransparencyErrorCode, message: string): asserts condition {
  if (!condition) throw new TransparencyError(code, message);
}

import { expect } from "vitest";
import { TransparencyError } from "./errors";

/** The TransparencyError code `run` throws, or "accepted"; any other kind of error fails the test. */
export function errorCode(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(TransparencyError);
    return (error as TransparencyError).code;
  }
  return "accepted";
}

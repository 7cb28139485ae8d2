import { describe, expect, it } from "vitest";
import { inUploadTurn } from "./upload-turns";

/** An upload that runs until the test lets it finish (or fail). */
function heldUpload(log: string[], name: string) {
  let finish!: () => void;
  let fail!: (error: Error) => void;
  const held = new Promise<void>((resolve, reject) => ((finish = resolve), (fail = reject)));
  const work = async () => {
    log.push(`${name} started`);
    await held;
    log.push(`${name} done`);
    return name;
  };
  return { work, finish, fail };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("key uploads take turns", () => {
  it("starts an upload only after the one before it has finished, in arrival order", async () => {
    const log: string[] = [];
    const [a, b, c] = ["a", "b", "c"].map((name) => heldUpload(log, name));
    const results = [inUploadTurn(a!.work), inUploadTurn(b!.work), inUploadTurn(c!.work)];
    await settle();
    expect(log).toEqual(["a started"]);
    a!.finish();
    await settle();
    expect(log).toEqual(["a started", "a done", "b started"]);
    b!.finish();
    c!.finish();
    expect(await Promise.all(results)).toEqual(["a", "b", "c"]);
    expect(log).toEqual(["a started", "a done", "b started", "b done", "c started", "c done"]);
  });

  it("passes a failed upload's error to its caller and still lets the next one run", async () => {
    const log: string[] = [];
    const [a, b] = ["a", "b"].map((name) => heldUpload(log, name));
    const failed = inUploadTurn(a!.work);
    const next = inUploadTurn(b!.work);
    a!.fail(new Error("bad signature"));
    await expect(failed).rejects.toThrow("bad signature");
    b!.finish();
    expect(await next).toBe("b");
  });
});

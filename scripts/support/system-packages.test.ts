import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ensureSystemTools, missingTools, SYSTEM_TOOLS, type SystemTool } from "./system-packages";

// A fresh machine: a lookup root where none of the programs exist, and a PATH whose apt-get is a
// stand-in that records its arguments (so the test never installs anything for real).
let root: string;
let bin: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), "latchkey-fresh-machine-"));
  bin = path.join(root, "bin");
  await mkdir(bin);
});
afterEach(() => rm(root, { recursive: true, force: true }));

const ALL = Object.keys(SYSTEM_TOOLS) as SystemTool[];

describe("ensureSystemTools on a machine without the programs", () => {
  it("installs every missing package with one apt-get update and one apt-get install, as root", async () => {
    const log = path.join(root, "apt.log");
    await writeFile(path.join(bin, "apt-get"), `#!/bin/sh\necho "$DEBIAN_FRONTEND $*" >> ${log}\n`);
    await chmod(path.join(bin, "apt-get"), 0o755);
    expect(missingTools(ALL, root)).toEqual(ALL);
    // The stand-in installs nothing, so the check after apt-get still fails: that too is reported.
    expect(() => ensureSystemTools(ALL, { root, isRoot: true, env: { ...process.env, PATH: bin } })).toThrow(/apt-get ran, but .*\/usr\/sbin\/pgbouncer/);
    expect((await readFile(log, "utf8")).trim().split("\n")).toEqual([
      "noninteractive update -qq",
      "noninteractive install -y --no-install-recommends chromium pgbouncer postgresql-15 patroni etcd-server haproxy",
    ]);
  });

  it("says in one line what to install when it cannot install (not root, or no apt-get)", () => {
    for (const options of [{ isRoot: false, env: { ...process.env, PATH: "/usr/bin:/bin" } }, { isRoot: true, env: { ...process.env, PATH: bin } }]) {
      expect(() => ensureSystemTools(["pgbouncer", "haproxy"], { root, ...options })).toThrow(
        /^The test suite needs pgbouncer, haproxy: install with `sudo apt-get update && sudo apt-get install -y --no-install-recommends pgbouncer haproxy` \(Debian\/Ubuntu\), then run it again\.$/,
      );
    }
  });

  it("does nothing when the programs are there", async () => {
    await mkdir(path.join(root, "usr/sbin"), { recursive: true });
    await writeFile(path.join(root, SYSTEM_TOOLS.haproxy.executable), "");
    expect(missingTools(["haproxy", "etcd"], root)).toEqual(["etcd"]);
    expect(() => ensureSystemTools(["haproxy"], { root, isRoot: false, env: { ...process.env, PATH: "" } })).not.toThrow();
  });
});

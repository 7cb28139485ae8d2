// KT_LOCAL_WITNESS=true (the default under `npm run dev`): one witness and the auditor, each its
// own process with its own key and state under .data/, so a single machine publishes cosigned
// checkpoints too (ADR 0077). Each prints {"url","vkey"} once it listens; that becomes its
// KT_WITNESSES entry for the server.
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import path from "node:path";
import { parseSkey } from "../../packages/client/src/transparency/index";

type Entry = { name: string; url: string; vkey: string; role: "witness" | "auditor" };

function startCosigner(script: string, args: string[]): Promise<{ child: ChildProcess; url: string; vkey: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join("scripts", script), ...args], { stdio: ["ignore", "pipe", "inherit", "ipc"] });
  const lines = createInterface({ input: child.stdout! });
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`${script} exited (${code}) before it listened`)));
    lines.once("line", (line) => {
      const { url, vkey } = JSON.parse(line) as { url: string; vkey: string };
      lines.on("line", (more) => console.log(more));
      resolve({ child, url, vkey });
    });
  });
}

/** Starts the local witness and auditor; returns their KT_WITNESSES entries and a stop function. */
export async function startLocalCosigners(env: NodeJS.ProcessEnv): Promise<{ entries: Entry[]; stop: () => void }> {
  const logVkey = parseSkey(env.KT_LOG_KEY!).vkey;
  const appUrl = env.APP_URL ?? "http://localhost:3000";
  const [witness, auditor] = await Promise.all([
    startCosigner("kt-witness.ts", ["--log-vkey", logVkey, "--state", ".data/kt-witness", "--name", "local/witness"]),
    startCosigner("kt-audit.ts", ["--log-url", appUrl, "--log-vkey", logVkey, "--state", ".data/kt-auditor", "--name", "local/auditor"]),
  ]);
  for (const { child } of [witness, auditor]) child.removeAllListeners("exit");
  auditor.child.once("exit", (code) => console.error(`[kt] the local auditor stopped (exit ${code}): checkpoints are no longer audited.`));
  return {
    entries: [
      { name: "local-witness", url: witness.url, vkey: witness.vkey, role: "witness" },
      { name: "local-auditor", url: auditor.url, vkey: auditor.vkey, role: "auditor" },
    ],
    stop: () => {
      auditor.child.removeAllListeners("exit");
      witness.child.kill("SIGTERM");
      auditor.child.kill("SIGTERM");
    },
  };
}

// `npm run kt:audit -- --log-url <APP_URL> --log-vkey <vkey> [--once] [--state .data/kt-auditor]`:
// the key-transparency auditor (ADR 0077). It replays every epoch's published prefix-tree changes
// and cosigns, as a c2sp.org/tlog-witness witness, only checkpoints whose every root it rebuilt.
// --once: audit the log's newest checkpoint, print the result and exit (0: the log is sound).
// Otherwise it serves add-checkpoint (one JSON line {"url","vkey"} once it listens) and exits 1 on
// the first failed audit.
import { hostname } from "node:os";
import { bytesToBase64, TransparencyError } from "../packages/client/src/transparency/index";
import { followLog } from "../lib/transparency/auditor";
import { startWitness } from "../lib/transparency/witness-service";
import { cosignerOptions } from "./support/cosigner-options";

const options = cosignerOptions({ state: ".data/kt-auditor", name: `${hostname()}/auditor` }, { "log-url": { type: "string" }, once: { type: "boolean" } });
const logUrl = options["log-url"] ?? process.env.APP_URL;
if (!logUrl) {
  console.error("--log-url: the log's base URL is required (or set APP_URL)");
  process.exit(2);
}
const [logVkey, ...others] = options["log-vkey"];
if (others.length > 0) {
  console.error("--log-vkey: the auditor follows one log");
  process.exit(2);
}

const failed = (error: unknown) => {
  const code = error instanceof TransparencyError ? ` (${error.code})` : "";
  console.error(`[audit] FAILED${code}: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
};
const follower = followLog({ logUrl, logVkey: logVkey!, onFailure: options.once ? undefined : failed });

if (options.once) {
  const checkpoint = await follower.auditNewest().catch(failed);
  console.log(`[audit] ok: ${checkpoint.size} epochs replayed, root ${bytesToBase64(checkpoint.rootHash)}`);
} else {
  const auditor = await startWitness({ stateDir: options.state, keyName: options.name, logVkeys: [logVkey!], host: options.host, port: options.port, beforeCosign: follower.audit });
  console.log(JSON.stringify({ url: auditor.url, vkey: auditor.vkey }));
  const stop = () => void auditor.close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  // Started by `npm run dev` over an IPC channel: when that launcher dies, however it dies, so do we.
  process.on("disconnect", stop);
}

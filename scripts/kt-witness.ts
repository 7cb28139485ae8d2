// `npm run kt:witness -- --log-vkey <vkey> [--state .data/kt-witness] [--port N] [--name N]`:
// a c2sp.org/tlog-witness witness for the key-transparency log (ADR 0077). Its key is made in the
// state directory on first start. Prints one JSON line, {"url","vkey"}, once it listens.
import { hostname } from "node:os";
import { startWitness } from "../lib/transparency/witness-service";
import { cosignerOptions } from "./support/cosigner-options";

const options = cosignerOptions({ state: ".data/kt-witness", name: `${hostname()}/witness` });
const witness = await startWitness({ stateDir: options.state, keyName: options.name, logVkeys: options["log-vkey"], host: options.host, port: options.port });
console.log(JSON.stringify({ url: witness.url, vkey: witness.vkey }));
const stop = () => void witness.close().then(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
// Started by `npm run dev` over an IPC channel: when that launcher dies, however it dies, so do we.
process.on("disconnect", stop);

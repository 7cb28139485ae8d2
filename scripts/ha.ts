// `npm run ha:up` / `npm run ha:down`: the high-availability PostgreSQL of docs/operations.md on
// this machine's loopback (three Patroni-managed PostgreSQL 15 nodes, etcd, HAProxy), to try the
// app against a failover by hand. `ha:up` prints the DATABASE_URL to use and returns, leaving the
// processes running; `ha:down` stops them and deletes the data. The state lives in .data/ha.
import { existsSync } from "node:fs";
import path from "node:path";
import { applyMigrations } from "../lib/db/migrations";
import { openHaCluster, startHaCluster } from "../test/ha/cluster";

const ROOT = path.resolve(".data", "ha");
const command = process.argv[2];

if (command === "up") {
  if (existsSync(path.join(ROOT, "layout.json"))) {
    console.error(`A cluster already runs in ${ROOT}: \`npm run ha:down\` first.`);
    process.exit(1);
  }
  const started = Date.now();
  const cluster = await startHaCluster({ root: ROOT });
  await applyMigrations(cluster.appUrl);
  const primary = await cluster.waitForPrimary();
  console.log(`Cluster up in ${((Date.now() - started) / 1000).toFixed(1)} s; primary ${primary.name}; logs in ${ROOT}.`);
  for (const node of cluster.nodes) console.log(`  ${node.name}: PostgreSQL 127.0.0.1:${node.pgPort}, Patroni REST http://127.0.0.1:${node.restPort}`);
  console.log(`DATABASE_URL=${cluster.appUrl}`);
  console.log(`patronictl: runuser -u postgres -- patronictl -c ${path.join(cluster.nodes[0]!.dir, "patroni.yml")} list`);
} else if (command === "down") {
  if (!existsSync(path.join(ROOT, "layout.json"))) {
    console.log("No cluster is running.");
  } else {
    await (await openHaCluster(ROOT)).down();
    console.log("Cluster stopped and its data deleted.");
  }
} else {
  console.error("Usage: tsx scripts/ha.ts up|down");
  process.exit(1);
}

// The two servers the stack benchmark compares: the production build of the app and the bare
// node:http + pg server in _bare-server.ts. Each runs in its own process, as it would in production.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "../..");

export type RunningServer = { url: string; process: ChildProcess; stop(): Promise<void> };

/** `next build`, as `npm run build` does. */
export function buildApp(): void {
  const result = spawnSync(path.join(ROOT, "node_modules/.bin/next"), ["build"], {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (result.status !== 0) throw new Error("next build failed");
}

/**
 * The production server on `port` (scripts/server.ts, as `npm start` runs it): the one place that
 * knows how the app is started. `cpuProfileDir` runs it under `node --cpu-prof`, writing the
 * profile there when it stops.
 */
export function startApp(options: { port: number; env: Record<string, string>; cpuProfileDir?: string }): Promise<RunningServer> {
  const nodeArgs = options.cpuProfileDir ? ["--cpu-prof", `--cpu-prof-dir=${options.cpuProfileDir}`] : [];
  const child = spawn(
    process.execPath,
    [...nodeArgs, "--import", "tsx", path.join(ROOT, "scripts/server.ts"), "--port", String(options.port), "--hostname", "127.0.0.1"],
    { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, ...options.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" } },
  );
  return ready(child, `http://127.0.0.1:${options.port}`, "/api/health");
}

/** The bare server on `port`, answering claims with the current statements or those before ADR 0040. */
export function startBareServer(options: { port: number; env: Record<string, string>; statements: "current" | "before" }): Promise<RunningServer> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(import.meta.dirname, "_bare-server.ts")], {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, ...options.env, NODE_ENV: "production", BARE_PORT: String(options.port), BARE_STATEMENTS: options.statements },
  });
  return ready(child, `http://127.0.0.1:${options.port}`, "/health");
}

async function ready(child: ChildProcess, url: string, healthPath: string): Promise<RunningServer> {
  const exited = new Promise<never>((_, reject) => child.once("exit", (code) => reject(new Error(`server at ${url} exited (${code})`))));
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGINT");
    });
  const deadline = Date.now() + 60_000;
  for (;;) {
    const up = await Promise.race([
      fetch(`${url}${healthPath}`).then(
        (response) => response.ok,
        () => false,
      ),
      exited,
    ]);
    if (up) return { url, process: child, stop };
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`server at ${url} did not come up`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * The auditor's side of the log (issue 23): follows a log over HTTP, replays every epoch's audit
 * data (GET /api/kt/audit/{epoch}) with the core's LogAuditor, and checks the replay against the
 * checkpoint. The auditor process is a witness whose `beforeCosign` is `audit`, so it cosigns only
 * what it replayed. The first failure is final: a log that once failed an audit is never cosigned
 * again by this process, and `onFailure` is told (the script exits non-zero).
 */
import {
  epochAuditFromJson,
  LogAuditor,
  noteVerifier,
  openNote,
  parseCheckpoint,
  TransparencyError,
  type Checkpoint,
} from "../../packages/client/src/transparency/index";

const REQUEST_TIMEOUT_MS = 10_000;
/** The public API is rate limited per IP: wait as told, but not for ever. */
const MAX_RETRY_WAIT_SECONDS = 60;

export interface LogFollower {
  /** Replays the epochs up to the checkpoint's size and checks its root; throws a TransparencyError on a bad log. */
  audit(checkpoint: Checkpoint): Promise<void>;
  /** Reads the log's newest checkpoint (log signature checked) and audits it. */
  auditNewest(): Promise<Checkpoint>;
  readonly auditedSize: number;
}

async function getJson(url: string): Promise<unknown> {
  for (;;) {
    const response = await fetch(url, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS), headers: { accept: "application/json" } });
    const retryAfter = Number(response.headers.get("retry-after"));
    if (response.status === 429 && retryAfter > 0 && retryAfter <= MAX_RETRY_WAIT_SECONDS) {
      await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000));
      continue;
    }
    if (response.status !== 200) throw new Error(`GET ${url} answered ${response.status}: ${await response.text()}`);
    return response.json();
  }
}

export function followLog(options: { logUrl: string; logVkey: string; onFailure?: (error: TransparencyError) => void }): LogFollower {
  const verifier = noteVerifier(options.logVkey);
  const auditor = new LogAuditor();
  let failure: TransparencyError | null = null;

  async function audit(checkpoint: Checkpoint): Promise<void> {
    if (failure) throw new TransparencyError(failure.code, `this log already failed an audit: ${failure.message}`);
    try {
      if (checkpoint.origin !== verifier.name) throw new TransparencyError("checkpoint_invalid", "checkpoint is from another log");
      if (checkpoint.size < auditor.size) throw new TransparencyError("rollback", `the log went back from ${auditor.size} to ${checkpoint.size} epochs`);
      while (auditor.size < checkpoint.size) {
        await auditor.replay(epochAuditFromJson(await getJson(new URL(`/api/kt/audit/${auditor.size}`, options.logUrl).href)));
      }
      auditor.verifyCheckpoint(checkpoint);
    } catch (error) {
      if (error instanceof TransparencyError) {
        failure = error;
        options.onFailure?.(error);
      }
      throw error;
    }
  }

  return {
    audit,
    async auditNewest() {
      const { checkpoint } = (await getJson(new URL("/api/kt/checkpoint", options.logUrl).href)) as { checkpoint?: unknown };
      if (typeof checkpoint !== "string") throw new Error("the log's checkpoint answer holds no checkpoint");
      const parsed = parseCheckpoint(openNote(checkpoint, [verifier]).text);
      await audit(parsed);
      return parsed;
    },
    get auditedSize() {
      return auditor.size;
    },
  };
}

// Classifies faults that are nobody's mistake and pass by themselves: a database restarting, a
// mail or SMS server that is down. Drivers wrap the interesting code several levels deep (Prisma's
// driver-adapter error around node-postgres's, nodemailer's around the socket's, fetch's `cause`),
// so the checks look at every code, kind and message along the chain.

/** Codes, kinds, names and messages of `error` and of everything it wraps, a few levels deep. */
function faultSignals(error: unknown): string[] {
  const signals: string[] = [];
  const seen = new Set<unknown>();
  const visit = (value: unknown, depth: number) => {
    if (value === null || typeof value !== "object" || seen.has(value) || depth > 6) return;
    seen.add(value);
    const record = value as Record<string, unknown>;
    for (const key of ["code", "kind", "name", "message", "originalCode", "originalMessage"]) {
      if (typeof record[key] === "string") signals.push(record[key]);
    }
    for (const key of ["cause", "meta", "driverAdapterError", "errors"]) {
      const inner = record[key];
      if (Array.isArray(inner)) inner.forEach((item) => visit(item, depth + 1));
      else visit(inner, depth + 1);
    }
  };
  visit(error, 0);
  return signals;
}

const SOCKET_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "ENOTFOUND", "EHOSTUNREACH", "ENETUNREACH", "EPIPE", "EAI_AGAIN"]);

// SQLSTATE class 08 (connection exception), 57P01–57P03 (shut down, crashed, starting up), 53300
// (too many connections), 25006 (read-only transaction: the connection landed on a standby, or on
// a node in the moment before its promotion completes, during a failover); the adapter's kinds for the same; Prisma's P1001/P1002/P1017 (server
// unreachable or gone) and P2024 (no pool connection in time); an interactive transaction that
// expired because the database stalled past its timeout (P2028 "… on an expired transaction",
// seen in a failover: Prisma rolls it back, so trying again is safe).
const DATABASE_CODES = new Set([
  "08000", "08001", "08003", "08004", "08006", "57P01", "57P02", "57P03", "53300", "25006",
  "DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections",
  "P1001", "P1002", "P1017", "P2024",
]);
const DATABASE_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Unable to start a transaction in the given time|the database system is (starting up|shutting down|in recovery mode)|terminating connection due to administrator command|Can't reach database server|Client has encountered a connection error|Connection ended unexpectedly|in a read-only transaction|executed on an expired transaction/i;

/** True when `error` says PostgreSQL cannot be reached right now (answer 503, not 500). */
export function isDatabaseUnavailable(error: unknown): boolean {
  return faultSignals(error).some((signal) => SOCKET_CODES.has(signal) || DATABASE_CODES.has(signal) || DATABASE_MESSAGES.test(signal));
}

// nodemailer's connection-level codes; fetch's TimeoutError and "fetch failed" around a socket code.
const TRANSPORT_CODES = new Set(["ECONNECTION", "ESOCKET", "EDNS", "TimeoutError"]);

/** True when a mail or SMS server could not be reached at all (as opposed to refusing a message). */
export function isTransportUnreachable(error: unknown): boolean {
  return faultSignals(error).some((signal) => SOCKET_CODES.has(signal) || TRANSPORT_CODES.has(signal));
}

// SQLSTATE 40001 (serialization failure) and 40P01 (deadlock detected), as the adapter and Prisma
// name them: the transaction was rolled back whole and may simply run again.
const WRITE_CONFLICT_SIGNALS = new Set(["40001", "40P01", "TransactionWriteConflict", "P2034"]);

/** True when PostgreSQL rolled the transaction back to resolve a conflict with another one. */
export function isWriteConflict(error: unknown): boolean {
  return faultSignals(error).some((signal) => WRITE_CONFLICT_SIGNALS.has(signal));
}

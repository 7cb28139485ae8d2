// The per-request costs of authentication, each against a baseline measured in the same run:
// - bearer-token check (hash, session + device + user read, lastSeen throttled) vs a bare
//   primary-key read of the session row;
// - the PostgreSQL rate limit (one GCRA upsert) vs a bare `SELECT 1` round trip;
// - argon2id password hashing and verifying (off the event loop) vs bcrypt at cost 12, the format
//   seed 000 stored; plus how long the event loop stalls while hashes run.
import bcrypt from "bcrypt";
import { measure, printRatios, withBenchDatabase } from "./_harness";

const DB_OPS = 2000;
const CONCURRENCY = 10;
const PASSWORD_OPS = 20;

await withBenchDatabase(async () => {
  const { prisma } = await import("../../lib/db");
  const { createSession, authenticateBearerToken } = await import("../../lib/auth/sessions");
  const { consumeBurst } = await import("../../lib/rate-limit");
  const { hashPassword, verifyPassword } = await import("../../lib/auth/password");

  const user = await prisma.user.create({ data: { email: "bench@bench.test", emailVerified: true } });
  const device = await prisma.device.create({ data: { userId: user.id, name: "bench", kind: "CLIENT" } });
  const { token, sessionId } = await createSession(prisma, { userId: user.id, deviceId: device.id, kind: "CLIENT" });

  const readSession = () => prisma.session.findUnique({ where: { id: sessionId } });
  const authenticate = () => authenticateBearerToken(token);
  const roundTrip = () => prisma.$queryRaw`SELECT 1`;
  let key = 0;
  const limit = () => consumeBurst(`bench:${key++ % 100}`, { burst: 1_000_000, perSeconds: 1 });
  for (let i = 0; i < 100; i++) await Promise.all([readSession(), authenticate(), roundTrip(), limit()]);

  printRatios("Database per-request checks", "baseline", [
    [`bearer auth vs session PK read (x${CONCURRENCY})`, await measure(readSession, DB_OPS, CONCURRENCY), await measure(authenticate, DB_OPS, CONCURRENCY)],
    [`rate-limit upsert vs SELECT 1 (x${CONCURRENCY})`, await measure(roundTrip, DB_OPS, CONCURRENCY), await measure(limit, DB_OPS, CONCURRENCY)],
  ]);

  const password = "correct horse battery staple";
  const argonHash = await hashPassword(password);
  const bcryptHash = await bcrypt.hash(password, 12);
  let worstStallMs = 0;
  let last = performance.now();
  const ticker = setInterval(() => {
    const now = performance.now();
    worstStallMs = Math.max(worstStallMs, now - last - 5);
    last = now;
  }, 5);
  const rows = [
    ["argon2id hash vs bcrypt(12) hash", await measure(() => bcrypt.hash(password, 12), PASSWORD_OPS), await measure(() => hashPassword(password), PASSWORD_OPS)],
    ["argon2id verify vs bcrypt(12) verify", await measure(() => bcrypt.compare(password, bcryptHash), PASSWORD_OPS), await measure(() => verifyPassword(argonHash, password), PASSWORD_OPS)],
  ] as const;
  clearInterval(ticker);
  console.log("");
  printRatios("Password hashing (one at a time)", "bcrypt", rows);
  console.log(`worst event-loop stall while hashing: ${worstStallMs.toFixed(1)} ms (hashes run on worker threads)`);
});

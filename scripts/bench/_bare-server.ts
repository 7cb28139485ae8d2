// The least a server must do to serve `GET /api/keys/{userId}/{deviceId}`: node:http and a pg pool
// of the app's size, no framework, no ORM. BARE_STATEMENTS=current runs the very statements the
// route runs (imported from lib/, not copied): the joined session read, then the statement that
// charges every allowance and claims the keys. BARE_STATEMENTS=before runs the eight statements
// the route sent before ADR 0040, as the second baseline.
import { createServer, type ServerResponse } from "node:http";
import pg from "pg";
import { fetchBundles } from "../../lib/api/endpoints";
import { callerAllowancesOf } from "../../lib/api/route";
import { bearerSessionSql } from "../../lib/auth/sessions";
import { hashToken } from "../../lib/crypto";
import { KEY_CLAIM_TARGET_LIMITS } from "../../lib/limits";
import {
  claimStatement,
  targetAllowances,
  toBundle,
  type BundleRow,
  type ClaimRow,
} from "../../lib/keys/claim";
import { retryAfter } from "../../lib/rate-limit";
import { env } from "../../lib/env";

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: env().DATABASE_POOL_SIZE });
const statements = process.env.BARE_STATEMENTS === "before" ? "before" : "current";
const sql = (statement: { text: string; values: unknown[] }) => ({ text: statement.text, values: statement.values });

type Claim = { userId: string; deviceId: string; token: string };
type Answer = { status: number; body?: unknown; retryAfter?: number };

async function claimNow({ userId, deviceId, token }: Claim): Promise<Answer> {
  const { rows: sessions } = await pool.query(sql(bearerSessionSql(hashToken(token))));
  const session = sessions[0] as { userId: string; deviceId: string } | undefined;
  if (!session) return { status: 401 };
  const allowances = [
    ...callerAllowancesOf(fetchBundles, session),
    ...targetAllowances({ requesterUserId: session.userId, requesterDeviceId: session.deviceId, targetUserId: userId }),
  ];
  const { rows } = await pool.query<ClaimRow>(sql(claimStatement(allowances, userId, deviceId === "*" ? null : deviceId)));
  if (!rows[0]!.allowed) return { status: 429, retryAfter: retryAfter(rows[0]!.wait_seconds) };
  const bundles = rows.filter((row): row is ClaimRow & BundleRow => row.device_id !== null);
  return bundles.length === 0 ? { status: 404 } : { status: 200, body: { userId, devices: bundles.map(toBundle) } };
}

// Before ADR 0040: Prisma read the session, then its user and its device (three statements), and
// the claim ran in an interactive transaction: BEGIN, one GCRA upsert per limit, the claim, COMMIT.
async function claimBefore({ userId, deviceId, token }: Claim): Promise<Answer> {
  const { rows: sessions } = await pool.query("SELECT id, user_id, device_id, expires_at FROM sessions WHERE token_hash = $1 LIMIT 1", [hashToken(token)]);
  const session = sessions[0] as { user_id: string; device_id: string; expires_at: Date } | undefined;
  if (!session) return { status: 401 };
  const [{ rows: users }, { rows: devices }] = [
    await pool.query("SELECT id, is_active FROM users WHERE id = $1", [session.user_id]),
    await pool.query("SELECT id, revoked FROM devices WHERE id = $1", [session.device_id]),
  ];
  if (session.expires_at <= new Date() || !users[0]?.is_active || devices[0]?.revoked) return { status: 401 };
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    for (const [key, limit] of [
      [`key-claim:${session.device_id}:${userId}`, KEY_CLAIM_TARGET_LIMITS.perDevice],
      [`key-claim-account:${session.user_id}:${userId}`, KEY_CLAIM_TARGET_LIMITS.perAccount],
    ] as const) {
      const { rowCount } = await client.query(BEFORE_UPSERT, [key, limit.perSeconds, limit.burst * limit.perSeconds]);
      if (rowCount === 0) {
        await client.query("ROLLBACK");
        return { status: 429 };
      }
    }
    const { rows } = await client.query<BundleRow>(BEFORE_CLAIM, [userId, deviceId === "*" ? null : deviceId]);
    await client.query("COMMIT");
    return rows.length === 0 ? { status: 404 } : { status: 200, body: { userId, devices: rows.map(toBundle) } };
  } catch (error) {
    await client.query("ROLLBACK");
    throw error;
  } finally {
    client.release();
  }
}

const BEFORE_UPSERT = `
  INSERT INTO rate_limit_buckets AS bucket (key, reset_at)
  VALUES ($1, clock_timestamp() + make_interval(secs => $2))
  ON CONFLICT (key) DO UPDATE
    SET reset_at = GREATEST(bucket.reset_at, clock_timestamp()) + make_interval(secs => $2)
    WHERE GREATEST(bucket.reset_at, clock_timestamp()) + make_interval(secs => $2) <= clock_timestamp() + make_interval(secs => $3)
  RETURNING reset_at`;

const BEFORE_CLAIM = `
  WITH target AS MATERIALIZED (
    SELECT d.id, d.created_at FROM devices d JOIN users u ON u.id = d.user_id
    WHERE d.user_id = $1::uuid AND ($2::uuid IS NULL OR d.id = $2::uuid) AND u.is_active AND NOT d.revoked
      AND EXISTS (SELECT 1 FROM identity_keys ik WHERE ik.device_id = d.id)
      AND EXISTS (SELECT 1 FROM kyber_last_resort_keys lr WHERE lr.device_id = d.id)
      AND EXISTS (SELECT 1 FROM signed_prekeys s WHERE s.device_id = d.id AND s.superseded_at IS NULL)
    FOR SHARE OF d
  ),
  ec_pick AS MATERIALIZED (
    SELECT pick.id FROM target t CROSS JOIN LATERAL (
      SELECT k.id FROM one_time_prekeys k WHERE k.device_id = t.id AND NOT k.used LIMIT 1 FOR UPDATE SKIP LOCKED) pick
  ),
  ec AS (UPDATE one_time_prekeys SET used = true, claimed_at = now() WHERE id IN (SELECT id FROM ec_pick) RETURNING device_id, key_id, public_key),
  pq_pick AS MATERIALIZED (
    SELECT pick.id FROM target t CROSS JOIN LATERAL (
      SELECT k.id FROM kyber_prekeys k WHERE k.device_id = t.id AND NOT k.used LIMIT 1 FOR UPDATE SKIP LOCKED) pick
  ),
  pq AS (UPDATE kyber_prekeys SET used = true, claimed_at = now() WHERE id IN (SELECT id FROM pq_pick) RETURNING device_id, key_id, public_key, signature)
  SELECT t.id AS device_id, ik.registration_id, ik.public_key AS identity_key,
         spk.key_id AS signed_key_id, spk.public_key AS signed_public_key, spk.signature AS signed_signature,
         ec.key_id AS pre_key_id, ec.public_key AS pre_public_key,
         COALESCE(pq.key_id, lr.key_id) AS pq_key_id, COALESCE(pq.public_key, lr.public_key) AS pq_public_key,
         COALESCE(pq.signature, lr.signature) AS pq_signature
  FROM target t
  JOIN identity_keys ik ON ik.device_id = t.id
  JOIN kyber_last_resort_keys lr ON lr.device_id = t.id
  JOIN LATERAL (SELECT s.key_id, s.public_key, s.signature FROM signed_prekeys s
                WHERE s.device_id = t.id AND s.superseded_at IS NULL ORDER BY s.created_at DESC LIMIT 1) spk ON true
  LEFT JOIN ec ON ec.device_id = t.id
  LEFT JOIN pq ON pq.device_id = t.id
  ORDER BY t.created_at, t.id`;

function send(response: ServerResponse, answer: Answer) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (answer.retryAfter) headers["retry-after"] = String(answer.retryAfter);
  response.writeHead(answer.status, headers);
  response.end(answer.body === undefined ? JSON.stringify({ error: { code: String(answer.status), message: "" } }) : JSON.stringify(answer.body));
}

const claim = statements === "current" ? claimNow : claimBefore;

createServer((request, response) => {
  const match = /^\/api\/keys\/([^/]+)\/([^/]+)$/.exec(request.url ?? "");
  const token = /^Bearer ([A-Za-z0-9_-]{1,128})$/.exec(request.headers.authorization ?? "")?.[1];
  if (request.url === "/health") return send(response, { status: 200, body: { status: "ok" } });
  if (!match || !token) return send(response, { status: 404 });
  claim({ userId: match[1]!, deviceId: match[2]!, token }).then(
    (answer) => send(response, answer),
    (error: unknown) => {
      console.error("[bare server]", error);
      send(response, { status: 500 });
    },
  );
}).listen(Number(process.env.BARE_PORT), "127.0.0.1");

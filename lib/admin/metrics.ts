import { prisma } from "../db";
import { Prisma } from "../generated/prisma/client";
import { sessionIdleMs } from "../limits";
import { smsBudgetStatus, type SmsBudgetStatus } from "../sms/gate";
import { LOOKUP_METRICS } from "../discovery/lookup";
import { env } from "../env";

// The monitoring figures of seed 000 (DECISIONS.md §1 "monitoring", §6), for /admin and
// GET /api/admin/metrics. Each group of figures is one aggregate query over one table, so the
// whole set is a handful of scans however many rows there are. Days are UTC days, the days the
// otp module writes its DailyMetric counters under. Timestamps are stored as UTC `timestamp`
// columns; the adapter sends a Date as a UTC timestamp too, so `${now}::timestamp` compares like
// with like.

/** A device publishing keys is "low" when fewer unclaimed one-time keys than this are left. */
export const LOW_PREKEY_STOCK = 10;
export const TREND_DAYS = 30;

export type TrendDay = {
  /** UTC day, YYYY-MM-DD. */
  day: string;
  signUps: number;
  codesSent: number;
  codesVerified: number;
  codesLocked: number;
  /** codesVerified / codesSent, or null on a day without codes. */
  codeSuccessRate: number | null;
  /** Devices registered and not revoked at the end of the day. */
  activeDevices: number;
};

type AdminMetrics = {
  generatedAt: string;
  users: {
    total: number;
    /** Email or phone verified. */
    verified: number;
    profileComplete: number;
    active: number;
    admins: number;
    signedInLast24h: number;
    signedInLast7d: number;
    signedUpLast24h: number;
    /** Accounts with at least one passkey. */
    withPasskeys: number;
    /** Accounts with two-step verification (an authenticator app) on. */
    withTwoStep: number;
  };
  codes: {
    sentToday: number;
    verifiedToday: number;
    lockedToday: number;
    sentLast30d: number;
    verifiedLast30d: number;
    lockedLast30d: number;
    /** Codes that can still be used: not used, not expired, attempts left. */
    pending: number;
  };
  outbox: { pending: number; failed: number };
  /** The hourly SMS budget (SMS_HOURLY_BUDGET): while `paused`, code texts are refused. */
  sms: SmsBudgetStatus;
  devices: { active: number; seenLast7d: number; sessionsActive: number };
  prekeys: {
    /** Active devices that have uploaded an identity key, i.e. messaging clients. */
    devicesPublishing: number;
    devicesLowOnPreKeys: number;
    devicesLowOnPqPreKeys: number;
    unclaimedPreKeys: number;
    unclaimedPqPreKeys: number;
  };
  /** How much clients look people up (lib/discovery), today (UTC) and over the last 7 UTC days including today. */
  lookups: { today: LookupFigures; last7d: LookupFigures };
  transparency: TransparencyFigures;
  trends: TrendDay[];
};

/** The key-transparency log (issue 23). */
type TransparencyFigures = {
  /** Epochs published: the size of the log's tree. */
  logSize: number;
  lastEpochAt: string | null;
  lastEpochAgeSeconds: number | null;
  /** Labels waiting for the next epoch. */
  pendingUpdates: number;
  epochSeconds: number;
  /** The newest epoch is older than STALLED_EPOCHS × KT_EPOCH_SECONDS: nobody is publishing. */
  stalled: boolean;
};

/** An epoch is due every KT_EPOCH_SECONDS (a heartbeat when nothing changed), so three missed is a fault. */
export const STALLED_EPOCHS = 3;

type LookupFigures = {
  usernameLookups: number;
  usernameMatches: number;
  phoneLookups: number;
  /** Phone numbers asked, over all phoneLookups requests. */
  phoneNumbersLookedUp: number;
  phoneMatches: number;
};

type Counts<K extends string> = Record<K, bigint | number>;

const toNumbers = <K extends string>(row: Counts<K>): Record<K, number> =>
  Object.fromEntries(Object.entries(row).map(([key, value]) => [key, Number(value)])) as Record<K, number>;

async function userFigures(now: Date) {
  const [row] = await prisma.$queryRaw<Counts<keyof AdminMetrics["users"]>[]>`
    SELECT count(*) AS "total",
      count(*) FILTER (WHERE email_verified OR phone_verified) AS "verified",
      count(*) FILTER (WHERE is_profile_complete) AS "profileComplete",
      count(*) FILTER (WHERE is_active) AS "active",
      count(*) FILTER (WHERE role = 'ADMIN') AS "admins",
      count(*) FILTER (WHERE last_login_at > ${now}::timestamp - interval '24 hours') AS "signedInLast24h",
      count(*) FILTER (WHERE last_login_at > ${now}::timestamp - interval '7 days') AS "signedInLast7d",
      count(*) FILTER (WHERE created_at > ${now}::timestamp - interval '24 hours') AS "signedUpLast24h",
      count(*) FILTER (WHERE EXISTS (SELECT 1 FROM passkeys p WHERE p.user_id = users.id)) AS "withPasskeys",
      count(*) FILTER (WHERE EXISTS (SELECT 1 FROM two_steps t WHERE t.user_id = users.id AND t.enabled_at IS NOT NULL)) AS "withTwoStep"
    FROM users`;
  return toNumbers(row!);
}

async function codeFigures(now: Date) {
  const [counters] = await prisma.$queryRaw<Counts<Exclude<keyof AdminMetrics["codes"], "pending">>[]>`
    WITH today AS (SELECT (${now}::timestamp)::date AS today)
    SELECT
      coalesce(sum(count) FILTER (WHERE name = 'codes_sent' AND m.day = today), 0) AS "sentToday",
      coalesce(sum(count) FILTER (WHERE name = 'codes_verified' AND m.day = today), 0) AS "verifiedToday",
      coalesce(sum(count) FILTER (WHERE name = 'codes_locked' AND m.day = today), 0) AS "lockedToday",
      coalesce(sum(count) FILTER (WHERE name = 'codes_sent'), 0) AS "sentLast30d",
      coalesce(sum(count) FILTER (WHERE name = 'codes_verified'), 0) AS "verifiedLast30d",
      coalesce(sum(count) FILTER (WHERE name = 'codes_locked'), 0) AS "lockedLast30d"
    FROM today LEFT JOIN daily_metrics m ON m.day > today - ${TREND_DAYS}::int AND m.day <= today
    GROUP BY today`;
  const [live] = await prisma.$queryRaw<Counts<"pending">[]>`
    SELECT count(*) AS "pending" FROM one_time_codes
    WHERE used_at IS NULL AND expires_at > ${now}::timestamp AND attempts < max_attempts`;
  return { ...toNumbers(counters!), ...toNumbers(live!) };
}

async function outboxFigures() {
  const [row] = await prisma.$queryRaw<Counts<keyof AdminMetrics["outbox"]>[]>`
    SELECT count(*) FILTER (WHERE status = 'PENDING') AS "pending",
      count(*) FILTER (WHERE status = 'FAILED') AS "failed"
    FROM outbox_messages WHERE status <> 'SENT'`;
  return toNumbers(row!);
}

async function deviceFigures(now: Date) {
  // A session that expired or went idle keeps its row until something touches it, and a browser
  // that signed out keeps its device row: "active" counts only what is signed in now (issue 25),
  // by the rule of liveSessionWhere (lib/auth/sessions.ts).
  const live = Prisma.sql`s.expires_at > ${now}::timestamp AND s.last_seen_at > ${now}::timestamp
    - (CASE s.kind WHEN 'BROWSER' THEN ${sessionIdleMs("BROWSER")}::bigint ELSE ${sessionIdleMs("CLIENT")}::bigint END) * interval '1 millisecond'`;
  const [devices] = await prisma.$queryRaw<Counts<"active" | "seenLast7d">[]>`
    SELECT count(*) FILTER (WHERE EXISTS (SELECT 1 FROM sessions s WHERE s.device_id = devices.id AND ${live})) AS "active",
      count(*) FILTER (WHERE last_seen_at > ${now}::timestamp - interval '7 days') AS "seenLast7d"
    FROM devices WHERE NOT revoked`;
  const [sessions] = await prisma.$queryRaw<Counts<"sessionsActive">[]>`
    SELECT count(*) AS "sessionsActive" FROM sessions s WHERE ${live}`;
  return { ...toNumbers(devices!), ...toNumbers(sessions!) };
}

async function prekeyFigures() {
  const [row] = await prisma.$queryRaw<Counts<keyof AdminMetrics["prekeys"]>[]>`
    WITH ec AS (SELECT device_id, count(*) AS n FROM one_time_prekeys WHERE NOT used GROUP BY device_id),
      pq AS (SELECT device_id, count(*) AS n FROM kyber_prekeys WHERE NOT used GROUP BY device_id)
    SELECT count(*) AS "devicesPublishing",
      count(*) FILTER (WHERE coalesce(ec.n, 0) < ${LOW_PREKEY_STOCK}) AS "devicesLowOnPreKeys",
      count(*) FILTER (WHERE coalesce(pq.n, 0) < ${LOW_PREKEY_STOCK}) AS "devicesLowOnPqPreKeys",
      coalesce(sum(ec.n), 0) AS "unclaimedPreKeys",
      coalesce(sum(pq.n), 0) AS "unclaimedPqPreKeys"
    FROM devices d
    JOIN identity_keys ik ON ik.device_id = d.id
    LEFT JOIN ec ON ec.device_id = d.id
    LEFT JOIN pq ON pq.device_id = d.id
    WHERE NOT d.revoked`;
  return toNumbers(row!);
}

async function lookupFigures(now: Date): Promise<AdminMetrics["lookups"]> {
  const names = Object.keys(LOOKUP_METRICS) as (keyof LookupFigures)[];
  const rows = await prisma.$queryRaw<{ name: string; today: bigint; last7d: bigint }[]>`
    SELECT name,
      coalesce(sum(count) FILTER (WHERE day = (${now}::timestamp)::date), 0) AS today,
      coalesce(sum(count), 0) AS last7d
    FROM daily_metrics
    WHERE name = ANY(${Object.values(LOOKUP_METRICS)}::text[])
      AND day > (${now}::timestamp)::date - 7 AND day <= (${now}::timestamp)::date
    GROUP BY name`;
  const figures = (column: "today" | "last7d") =>
    Object.fromEntries(
      names.map((field) => [field, Number(rows.find((row) => row.name === LOOKUP_METRICS[field])?.[column] ?? 0)]),
    ) as LookupFigures;
  return { today: figures("today"), last7d: figures("last7d") };
}

async function transparencyFigures(now: Date): Promise<TransparencyFigures> {
  const [row] = await prisma.$queryRaw<{ logSize: bigint; lastTimestamp: bigint | null; pendingUpdates: bigint }[]>`
    SELECT (SELECT count(*) FROM kt_epochs) AS "logSize",
      (SELECT timestamp FROM kt_epochs ORDER BY index DESC LIMIT 1) AS "lastTimestamp",
      (SELECT count(*) FROM kt_pending_updates) AS "pendingUpdates"`;
  const epochSeconds = env().KT_EPOCH_SECONDS;
  const last = row!.lastTimestamp === null ? null : new Date(Number(row!.lastTimestamp));
  const age = last === null ? null : Math.max(0, Math.floor((now.getTime() - last.getTime()) / 1000));
  return {
    logSize: Number(row!.logSize),
    lastEpochAt: last?.toISOString() ?? null,
    lastEpochAgeSeconds: age,
    pendingUpdates: Number(row!.pendingUpdates),
    epochSeconds,
    stalled: epochSeconds > 0 && age !== null && age > STALLED_EPOCHS * epochSeconds,
  };
}

/**
 * The last 30 UTC days, oldest first, every day present. Active devices per day are derived from
 * when devices were registered and revoked, so the history needs no daily snapshot job.
 */
async function trendFigures(now: Date): Promise<TrendDay[]> {
  const rows = await prisma.$queryRaw<
    { day: string; signUps: bigint; codesSent: bigint; codesVerified: bigint; codesLocked: bigint; activeDevices: bigint }[]
  >`
    WITH bounds AS (
      SELECT (${now}::timestamp)::date - ${TREND_DAYS - 1}::int AS first_day, (${now}::timestamp)::date AS last_day),
    days AS (
      SELECT generate_series(first_day, last_day, interval '1 day')::date AS day FROM bounds),
    sign_ups AS (
      SELECT created_at::date AS day, count(*) AS n FROM users, bounds
      WHERE created_at >= first_day AND created_at < last_day + 1 GROUP BY 1),
    codes AS (
      SELECT day,
        sum(count) FILTER (WHERE name = 'codes_sent') AS sent,
        sum(count) FILTER (WHERE name = 'codes_verified') AS verified,
        sum(count) FILTER (WHERE name = 'codes_locked') AS locked
      FROM daily_metrics, bounds WHERE day BETWEEN first_day AND last_day GROUP BY day),
    device_changes AS (
      SELECT created_at::date AS day, count(*) AS n FROM devices, bounds
      WHERE created_at >= first_day AND created_at < last_day + 1 GROUP BY 1
      UNION ALL
      SELECT revoked_at::date, -count(*) FROM devices, bounds
      WHERE revoked_at >= first_day AND revoked_at < last_day + 1 GROUP BY 1),
    device_delta AS (SELECT day, sum(n) AS n FROM device_changes GROUP BY day),
    devices_before AS (
      SELECT count(*) AS n FROM devices, bounds
      WHERE created_at < first_day AND (revoked_at IS NULL OR revoked_at >= first_day))
    SELECT to_char(days.day, 'YYYY-MM-DD') AS "day",
      coalesce(sign_ups.n, 0) AS "signUps",
      coalesce(codes.sent, 0) AS "codesSent",
      coalesce(codes.verified, 0) AS "codesVerified",
      coalesce(codes.locked, 0) AS "codesLocked",
      (SELECT n FROM devices_before) + sum(coalesce(device_delta.n, 0)) OVER (ORDER BY days.day) AS "activeDevices"
    FROM days
    LEFT JOIN sign_ups ON sign_ups.day = days.day
    LEFT JOIN codes ON codes.day = days.day
    LEFT JOIN device_delta ON device_delta.day = days.day
    ORDER BY days.day`;
  return rows.map((row) => {
    const codesSent = Number(row.codesSent);
    const codesVerified = Number(row.codesVerified);
    return {
      day: row.day,
      signUps: Number(row.signUps),
      codesSent,
      codesVerified,
      codesLocked: Number(row.codesLocked),
      codeSuccessRate: codesSent > 0 ? codesVerified / codesSent : null,
      activeDevices: Number(row.activeDevices),
    };
  });
}

/** Every monitoring figure, as of `now`. */
export async function getAdminMetrics(now: Date = new Date()): Promise<AdminMetrics> {
  const [users, codes, outbox, sms, devices, prekeys, lookups, transparency, trends] = await Promise.all([
    userFigures(now),
    codeFigures(now),
    outboxFigures(),
    smsBudgetStatus(),
    deviceFigures(now),
    prekeyFigures(),
    lookupFigures(now),
    transparencyFigures(now),
    trendFigures(now),
  ]);
  return { generatedAt: now.toISOString(), users, codes, outbox, sms, devices, prekeys, lookups, transparency, trends };
}

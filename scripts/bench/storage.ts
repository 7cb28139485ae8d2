// Storage per user, for the capacity plan in docs/operations.md: fills a database with users that
// each have one client device with a full key stock (identity key, signed prekey, 100 EC and 100
// Kyber one-time prekeys, a Kyber last-resort key) and one session, then reports the average row
// size of each table (pg_column_size) and the bytes on disk per user including indexes
// (pg_total_relation_size). Absolute figures: storage does not depend on the machine.
import { withBenchDatabase } from "./_harness";

const USERS = 200;
const ONE_TIME_KEYS = 100;
const TABLES = ["users", "devices", "sessions", "identity_keys", "signed_prekeys", "one_time_prekeys", "kyber_prekeys", "kyber_last_resort_keys"];

await withBenchDatabase(async () => {
  const { prisma } = await import("../../lib/db");
  // A type byte, then random bytes (gen_random_bytes gives at most 1024 at a time).
  const random = (length: number, type: number) => {
    const parts = length - 1 > 1024 ? [Math.floor((length - 1) / 2), Math.ceil((length - 1) / 2)] : [length - 1];
    return `(decode('${type.toString(16).padStart(2, "0")}', 'hex') || ${parts.map((part) => `gen_random_bytes(${part})`).join(" || ")})`;
  };
  await prisma.$executeRawUnsafe(`CREATE EXTENSION IF NOT EXISTS pgcrypto`);
  await prisma.$executeRawUnsafe(`
    WITH u AS (
      INSERT INTO users (id, email, email_verified, is_profile_complete, name, username, full_name, country, dob, password, updated_at)
      SELECT gen_random_uuid(), 'user' || i || '@example.com', true, true, 'Ada', 'user' || i, 'Ada Lovelace', 'GB', '1990-01-01',
             '$argon2id$v=19$m=19456,t=2,p=1$' || encode(gen_random_bytes(16), 'base64') || '$' || encode(gen_random_bytes(32), 'base64'), now()
      FROM generate_series(1, ${USERS}) i RETURNING id),
    d AS (INSERT INTO devices (id, user_id, name, kind, last_seen_at) SELECT gen_random_uuid(), id, 'Signal on Pixel 9', 'CLIENT', now() FROM u RETURNING id, user_id),
    s AS (INSERT INTO sessions (id, user_id, device_id, kind, token_hash, expires_at, ip, user_agent)
          SELECT gen_random_uuid(), user_id, id, 'CLIENT', encode(gen_random_bytes(32), 'hex'), now() + interval '90 days', '203.0.113.7', 'Signal-Android/7.30' FROM d),
    ik AS (INSERT INTO identity_keys (device_id, public_key, registration_id) SELECT id, ${random(33, 5)}, 1234 FROM d),
    sk AS (INSERT INTO signed_prekeys (id, device_id, key_id, public_key, signature, expires_at)
           SELECT gen_random_uuid(), id, 1, ${random(33, 5)}, gen_random_bytes(64), now() + interval '30 days' FROM d),
    lr AS (INSERT INTO kyber_last_resort_keys (device_id, key_id, public_key, signature) SELECT id, 1000, ${random(1569, 8)}, gen_random_bytes(64) FROM d),
    ot AS (INSERT INTO one_time_prekeys (id, device_id, key_id, public_key)
           SELECT gen_random_uuid(), d.id, k, ${random(33, 5)} FROM d, generate_series(1, ${ONE_TIME_KEYS}) k)
    INSERT INTO kyber_prekeys (id, device_id, key_id, public_key, signature)
    SELECT gen_random_uuid(), d.id, k, ${random(1569, 8)}, gen_random_bytes(64) FROM d, generate_series(1, ${ONE_TIME_KEYS}) k`);
  await prisma.$executeRawUnsafe(`VACUUM ANALYZE`);
  console.log(`${USERS} users, each with one client device, one session and ${ONE_TIME_KEYS} + ${ONE_TIME_KEYS} one-time prekeys`);
  console.log(`${"table".padEnd(24)}${"rows".padStart(8)}${"avg row bytes".padStart(15)}${"disk bytes/user".padStart(17)}`);
  let total = 0;
  for (const table of TABLES) {
    const [row] = await prisma.$queryRawUnsafe<{ rows: bigint; avg_row: number; disk: bigint }[]>(
      `SELECT count(*) AS rows, avg(pg_column_size(t.*))::float AS avg_row, pg_total_relation_size('${table}') AS disk FROM ${table} t`,
    );
    const perUser = Number(row!.disk) / USERS;
    total += perUser;
    console.log(`${table.padEnd(24)}${String(row!.rows).padStart(8)}${row!.avg_row.toFixed(0).padStart(15)}${perUser.toFixed(0).padStart(17)}`);
  }
  console.log(`${"total per user".padEnd(47)}${total.toFixed(0).padStart(17)}`);
});

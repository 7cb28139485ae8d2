// Set-based population for the stack benchmark: every table is filled by one INSERT … SELECT over
// generate_series, so a million keys take seconds. Ids are md5-derived from a prefix and an index,
// so the benchmark knows every user, device and token without reading them back.
import { createHash } from "node:crypto";
import type pg from "pg";

export type BenchClient = { userId: string; deviceId: string; token: string };

// A version-4-shaped UUID from the md5 of `seed` (the API's id schemas accept only RFC 9562 UUIDs);
// bench_uuid() computes the same in SQL.
const uuidOf = (seed: string) => {
  const hex = createHash("md5").update(seed).digest("hex");
  const v4 = `${hex.slice(0, 12)}4${hex.slice(13, 16)}8${hex.slice(17)}`;
  return v4.replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, "$1-$2-$3-$4-$5");
};

/** Defines bench_uuid(seed) in the database, for the inserts below. */
export async function prepareBenchDatabase(db: pg.Pool): Promise<void> {
  await db.query(`
    CREATE OR REPLACE FUNCTION bench_uuid(seed text) RETURNS uuid IMMUTABLE LANGUAGE sql AS $$
      SELECT (substr(md5(seed), 1, 12) || '4' || substr(md5(seed), 14, 3) || '8' || substr(md5(seed), 18))::uuid
    $$`);
}

/** The clients `populateClients(prefix, count)` made, in order. */
export function clientsOf(prefix: string, count: number): BenchClient[] {
  return Array.from({ length: count }, (_, index) => {
    const i = index + 1;
    return { userId: uuidOf(`${prefix}u${i}`), deviceId: uuidOf(`${prefix}d${i}`), token: `${prefix}-token-${i}` };
  });
}

/**
 * `count` accounts with one client device and a live bearer session each. last_seen_at is now,
 * so no request during the run spends a write on it (the app writes it at most once a minute).
 */
export async function populateClients(db: pg.Pool, prefix: string, count: number, password: string | null = null): Promise<BenchClient[]> {
  await db.query(
    `INSERT INTO users (id, email, password, email_verified, updated_at)
     SELECT bench_uuid($1 || 'u' || i), $1 || i || '@bench.test', $3, true, now() FROM generate_series(1, $2) i`,
    [prefix, count, password],
  );
  await db.query(
    `INSERT INTO devices (id, user_id, name, kind, last_seen_at)
     SELECT bench_uuid($1 || 'd' || i), bench_uuid($1 || 'u' || i), 'bench', 'CLIENT', now() FROM generate_series(1, $2) i`,
    [prefix, count],
  );
  await db.query(
    `INSERT INTO sessions (id, user_id, device_id, kind, token_hash, expires_at, last_seen_at)
     SELECT bench_uuid($1 || 's' || i), bench_uuid($1 || 'u' || i), bench_uuid($1 || 'd' || i), 'CLIENT',
            encode(sha256(convert_to($1 || '-token-' || i, 'UTF8')), 'hex'), now() + interval '1 day', now()
     FROM generate_series(1, $2) i`,
    [prefix, count],
  );
  return clientsOf(prefix, count);
}

/** Servable devices: clients holding an identity, a signed prekey, a last-resort key and one-time keys. */
export async function populateTargets(db: pg.Pool, prefix: string, count: number, keys: { ec: number; kyber: number }): Promise<BenchClient[]> {
  const targets = await populateClients(db, prefix, count);
  const device = `bench_uuid($1 || 'd' || i)`;
  await db.query(
    `INSERT INTO identity_keys (device_id, public_key, registration_id)
     SELECT ${device}, '\\x05'::bytea || sha256(convert_to($1 || i, 'UTF8')), 1 + i % 16000 FROM generate_series(1, $2) i`,
    [prefix, count],
  );
  await db.query(
    `INSERT INTO signed_prekeys (id, device_id, key_id, public_key, signature, expires_at)
     SELECT bench_uuid($1 || 'spk' || i), ${device}, 1, '\\x05'::bytea || sha256(convert_to($1 || i, 'UTF8')),
            sha512(convert_to($1 || i, 'UTF8')), now() + interval '30 days'
     FROM generate_series(1, $2) i`,
    [prefix, count],
  );
  await db.query(
    `INSERT INTO kyber_last_resort_keys (device_id, key_id, public_key, signature)
     SELECT ${device}, 0, '\\x08'::bytea || decode(repeat('ab', 1568), 'hex'), sha512(convert_to($1 || i, 'UTF8'))
     FROM generate_series(1, $2) i`,
    [prefix, count],
  );
  await addOneTimeKeys(db, prefix, count, keys.ec, false);
  await db.query(
    `INSERT INTO kyber_prekeys (id, device_id, key_id, public_key, signature)
     SELECT gen_random_uuid(), ${device}, k, '\\x08'::bytea || decode(repeat('cd', 1568), 'hex'), sha512(convert_to($1 || i || k, 'UTF8'))
     FROM generate_series(1, $2) i, generate_series(1, $3) k`,
    [prefix, count, keys.kyber],
  );
  return targets;
}

/** `perDevice` EC one-time keys on each of the prefix's first `count` devices, unclaimed or claimed earlier. */
export async function addOneTimeKeys(db: pg.Pool, prefix: string, count: number, perDevice: number, claimed: boolean, firstKeyId = 1): Promise<void> {
  await db.query(
    `INSERT INTO one_time_prekeys (id, device_id, key_id, public_key, used, claimed_at)
     SELECT gen_random_uuid(), bench_uuid($1 || 'd' || i), $4 + k, '\\x05'::bytea || sha256(convert_to($1 || i || k, 'UTF8')),
            $5, CASE WHEN $5 THEN now() - (k % 29) * interval '1 day' END
     FROM generate_series(1, $2) i, generate_series(0, $3 - 1) k`,
    [prefix, count, perDevice, firstKeyId, claimed],
  );
}

/** Claimed Kyber keys waiting for the cleanup (their bytes are never read again, so they are short). */
export async function addClaimedKyberKeys(db: pg.Pool, prefix: string, count: number, perDevice: number, firstKeyId: number): Promise<void> {
  await db.query(
    `INSERT INTO kyber_prekeys (id, device_id, key_id, public_key, signature, used, claimed_at)
     SELECT gen_random_uuid(), bench_uuid($1 || 'd' || i), $4 + k, '\\x08'::bytea, '\\x00'::bytea, true, now() - (k % 29) * interval '1 day'
     FROM generate_series(1, $2) i, generate_series(0, $3 - 1) k`,
    [prefix, count, perDevice, firstKeyId],
  );
}

/** Accounts as the admin list shows them: verified or not, complete or not, some inactive, signed in at times. */
export async function populateUsers(db: pg.Pool, prefix: string, from: number, to: number): Promise<void> {
  await db.query(
    `INSERT INTO users (id, email, username, phone_number, full_name, email_verified, is_profile_complete, is_active,
                        created_at, updated_at, last_login_at)
     SELECT bench_uuid($1 || 'u' || i), 'person' || i || '.' || $1 || '@example.test', 'user_' || $1 || i,
            '+1' || (2000000000 + (i::bigint * 2654435761) % 7999999999)::text, 'Person ' || i, i % 5 <> 0, i % 3 <> 0, i % 50 <> 0,
            now() - (i % 1000) * interval '1 hour', now(), CASE WHEN i % 4 <> 0 THEN now() - (i % 700) * interval '1 minute' END
     FROM generate_series($2::int, $3::int) i`,
    [prefix, from, to],
  );
  await db.query("ANALYZE users");
}

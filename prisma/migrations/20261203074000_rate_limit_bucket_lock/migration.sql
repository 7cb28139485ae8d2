-- Written by hand: Prisma schemas cannot declare functions.
-- Locks the rate-limit buckets of `wanted` (transaction-scoped advisory locks, in one global
-- order) and then reads them FOR UPDATE. A PL/pgSQL function's query takes a fresh snapshot in
-- READ COMMITTED, so it sees a bucket that a concurrent request created and committed while this
-- one waited for the lock; the calling statement's own snapshot, taken before the wait, does not.
CREATE FUNCTION latchkey_lock_rate_limit_buckets(wanted text[])
RETURNS TABLE (key text, reset_at timestamp(3))
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(lock_id)
  FROM (SELECT DISTINCT hashtextextended(w, 0) AS lock_id FROM unnest(wanted) AS w ORDER BY 1) ordered;
  RETURN QUERY
    SELECT bucket.key, bucket.reset_at FROM rate_limit_buckets AS bucket WHERE bucket.key = ANY(wanted) FOR UPDATE;
END
$$;

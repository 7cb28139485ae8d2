-- Written by hand: Prisma cannot declare GIN storage parameters.
-- New rows' trigrams wait in each GIN index's pending list (4 MB by default) until a vacuum or a
-- full list moves them into the index, and every search reads the whole pending list: with 100,000
-- users a phone-number search took 3.7-7.5 ms instead of 0.2 ms. A 128 kB list keeps searches
-- flat for about 0.05 ms more per inserted user (npm run bench, goal 7).
ALTER INDEX "users_email_trgm_idx" SET (gin_pending_list_limit = 128);
ALTER INDEX "users_username_trgm_idx" SET (gin_pending_list_limit = 128);
ALTER INDEX "users_phone_number_trgm_idx" SET (gin_pending_list_limit = 128);
SELECT gin_clean_pending_list('"users_email_trgm_idx"'::regclass);
SELECT gin_clean_pending_list('"users_username_trgm_idx"'::regclass);
SELECT gin_clean_pending_list('"users_phone_number_trgm_idx"'::regclass);

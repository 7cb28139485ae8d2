-- pg_trgm for the admin user search (written by hand: Prisma schemas cannot declare extensions without a preview feature).
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- CreateIndex
CREATE INDEX "users_email_trgm_idx" ON "users" USING GIN ("email" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "users_username_trgm_idx" ON "users" USING GIN ("username" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "users_phone_number_trgm_idx" ON "users" USING GIN ("phone_number" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "users_is_active_created_at_idx" ON "users"("is_active", "created_at");

-- CreateIndex
CREATE INDEX "users_role_created_at_idx" ON "users"("role", "created_at");

-- CreateIndex
CREATE INDEX "users_is_profile_complete_created_at_idx" ON "users"("is_profile_complete", "created_at");

-- CreateIndex
CREATE INDEX "users_email_verified_phone_verified_created_at_idx" ON "users"("email_verified", "phone_verified", "created_at");

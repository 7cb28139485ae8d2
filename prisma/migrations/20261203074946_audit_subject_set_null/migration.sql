-- DropForeignKey
ALTER TABLE "audit_events" DROP CONSTRAINT "audit_events_user_id_fkey";

-- AddForeignKey
ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AlterTable
-- Existing sessions take their device's kind (a browser device only ever had browser sessions).
ALTER TABLE "sessions" ADD COLUMN     "kind" "DeviceKind";
UPDATE "sessions" SET "kind" = "devices"."kind" FROM "devices" WHERE "devices"."id" = "sessions"."device_id";
ALTER TABLE "sessions" ALTER COLUMN "kind" SET NOT NULL;

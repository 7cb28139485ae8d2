-- AlterTable
ALTER TABLE "users" ADD COLUMN     "discoverable_by_phone" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "discoverable_by_username" BOOLEAN NOT NULL DEFAULT true;

-- AlterTable
ALTER TABLE "link_tokens" ADD COLUMN     "phone_number" TEXT;

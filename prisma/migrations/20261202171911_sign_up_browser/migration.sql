-- AlterTable
ALTER TABLE "users" ADD COLUMN     "sign_up_browser_hash" TEXT;

-- One way of holding a pending contact (ADR 0082): the new email address waiting for its code is
-- the destination of the account's newest live EMAIL_CHANGE code, as the new phone number already
-- was for PHONE_CHANGE. Until now the columns named it, and only that address's code could
-- complete a change; older requests' codes were left live. Before the columns go, the codes are
-- made to say what the columns said: every live EMAIL_CHANGE code of an account stops working
-- unless it is for the address that account still has pending. (A pending address kept its code,
-- written in the same transaction with the same expiry, unless another account has since asked for
-- the same address, which voided it: that change could no longer complete, and is dropped.)
UPDATE "one_time_codes" AS code
SET "expires_at" = (now() AT TIME ZONE 'UTC')
FROM "users" AS account
WHERE code."user_id" = account."id"
  AND code."purpose" = 'EMAIL_CHANGE'
  AND code."used_at" IS NULL
  AND code."expires_at" > (now() AT TIME ZONE 'UTC')
  AND (
    account."pending_email" IS NULL
    OR account."pending_email_expiry" IS NULL
    OR account."pending_email_expiry" <= (now() AT TIME ZONE 'UTC')
    OR code."destination" <> account."pending_email"
  );

-- AlterTable
ALTER TABLE "users" DROP COLUMN "pending_email",
DROP COLUMN "pending_email_expiry";

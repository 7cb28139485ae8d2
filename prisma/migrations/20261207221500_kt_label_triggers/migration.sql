-- Written by hand: Prisma schemas cannot declare triggers.
-- Key transparency (issue 23): a change to what a username or phone label maps to queues the
-- label in kt_pending_updates inside the transaction that makes the change. A trigger rather than
-- a call in each flow: every flow that edits these columns (profile, privacy settings, contact
-- changes, sign-up, admin deactivation, deletion) is covered, including ones written later. The
-- publisher reads each label's value from the tables (lib/transparency/values.ts) and skips labels
-- whose value did not change. Identity keys are queued by the upload itself (lib/keys/upload.ts):
-- a key row written by hand is never published, so clients that verify never accept it.
CREATE FUNCTION latchkey_kt_queue(label text) RETURNS void
LANGUAGE sql VOLATILE AS $$
  INSERT INTO kt_pending_updates (label) VALUES (convert_to(label, 'UTF8'))
  ON CONFLICT (label) DO UPDATE SET created_at = now()
$$;

CREATE FUNCTION latchkey_kt_user_labels() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' OR (OLD.username, OLD.discoverable_by_username, OLD.is_active) IS DISTINCT FROM (NEW.username, NEW.discoverable_by_username, NEW.is_active) THEN
    IF TG_OP <> 'INSERT' AND OLD.username IS NOT NULL THEN PERFORM latchkey_kt_queue('username:' || OLD.username); END IF;
    IF TG_OP <> 'DELETE' AND NEW.username IS NOT NULL THEN PERFORM latchkey_kt_queue('username:' || NEW.username); END IF;
  END IF;
  IF TG_OP = 'INSERT' OR (OLD.phone_number, OLD.phone_verified, OLD.discoverable_by_phone, OLD.is_active) IS DISTINCT FROM (NEW.phone_number, NEW.phone_verified, NEW.discoverable_by_phone, NEW.is_active) THEN
    IF TG_OP <> 'INSERT' AND OLD.phone_number IS NOT NULL THEN PERFORM latchkey_kt_queue('phone:' || OLD.phone_number); END IF;
    IF TG_OP <> 'DELETE' AND NEW.phone_number IS NOT NULL THEN PERFORM latchkey_kt_queue('phone:' || NEW.phone_number); END IF;
  END IF;
  RETURN NULL;
END
$$;

-- DELETE: the OLD branch runs for both labels (a deleted account's labels become tombstones).
CREATE TRIGGER kt_user_labels
AFTER INSERT OR DELETE OR UPDATE OF username, phone_number, phone_verified, discoverable_by_username, discoverable_by_phone, is_active ON users
FOR EACH ROW EXECUTE FUNCTION latchkey_kt_user_labels();

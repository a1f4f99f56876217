-- A reset event no longer requires its call's row to be in the database already.
--
-- A call that began while the database was down has its call row in the app's local spool; the row
-- reaches the database only when the spool is replayed. If the database comes back while that call
-- is still on the line, the caller can verify and hear a new password before the replay: the reset
-- commits in the same transaction as its reset_event row, so a foreign key to call(id) would roll the
-- reset back and tell a caller who has just heard the password that the service is unavailable.
-- The call id is still written (made by the app, never reused), so the event joins its call once the
-- spooled row arrives; the audit keeps every event either way.
ALTER TABLE reset_event DROP CONSTRAINT reset_event_call_id_fkey;

-- The hotline-wide ceiling on failed verifications per minute counts the last minute's failures
-- of every caller at each lookup: this index makes that a short range scan at the end of it.
CREATE INDEX verification_failure_time_idx ON verification_failure (occurred_at);

-- A caller ID that reached the limit of failed verifications gets no lookup until blocked_until:
-- the full block time from the failure that reached the limit, however old the earlier failures
-- are by then. Kept in the database, so a block survives restarts and holds on every instance.
-- Attempts during the block are not lookups: they are not counted and do not extend it.
CREATE TABLE caller_block (
    caller_key     varchar(16) PRIMARY KEY,
    blocked_until  timestamptz NOT NULL
);

-- Callers that the former rule (a count over the last hour, with the default 5 failures and 1 hour)
-- refuses at the moment of the upgrade stay refused: for an hour from their latest failure.
INSERT INTO caller_block (caller_key, blocked_until)
SELECT caller_key, max(occurred_at) + interval '1 hour'
FROM verification_failure
WHERE occurred_at > now() - interval '1 hour'
GROUP BY caller_key
HAVING count(*) >= 5;

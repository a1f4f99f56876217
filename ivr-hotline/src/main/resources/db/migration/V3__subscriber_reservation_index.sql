-- Finds the codes reserved by given calls without reading every subscriber: start-up recovery
-- releases the reservations of the calls a crash left open. Few rows hold a reservation at a time,
-- so the partial index stays small.
CREATE INDEX subscriber_reserved_by_call_idx ON subscriber (reserved_by_call) WHERE reserved_by_call IS NOT NULL;

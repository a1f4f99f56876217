-- One row per running app instance (IVR_INSTANCE_ID), renewed while the instance is alive. Several
-- instances share this database: when one dies without closing, its lease stops being renewed, and
-- once it has expired exactly one other instance takes it over in one transaction (deletes the row,
-- closes the dead instance's open calls as interrupted, releases the codes they held). A second
-- process started with an id whose lease is live is refused. Times are the database's clock, so
-- the instances' own clocks never need to agree.
CREATE TABLE instance_lease (
    instance_id  varchar(64) PRIMARY KEY,
    -- The process that holds the lease (new at each start): a renewal by any other is refused.
    holder       uuid        NOT NULL,
    started_at   timestamptz NOT NULL,
    renewed_at   timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL
);
CREATE INDEX instance_lease_expiry_idx ON instance_lease (expires_at);

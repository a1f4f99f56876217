-- The hotline's schema. Amounts are integer VND; times are timestamptz (UTC on the wire).

-- Citizens registered for VssID: the BHXH code and the phone number registered for it.
CREATE TABLE subscriber (
    bhxh_code             char(10)    PRIMARY KEY CONSTRAINT subscriber_code_is_10_digits CHECK (bhxh_code ~ '^[0-9]{10}$'),
    phone_e164            varchar(16) NOT NULL CONSTRAINT subscriber_phone_is_e164 CHECK (phone_e164 ~ '^\+[1-9][0-9]{6,14}$'),
    -- Argon2id hash of the current password (PHC string); never the password itself.
    password_hash         text,
    must_change_password  boolean     NOT NULL DEFAULT false,
    password_expires_at   timestamptz,
    locked_until          timestamptz,
    consecutive_failures  integer     NOT NULL DEFAULT 0,
    -- A call that has verified this code and is reading a new password holds the reservation, so
    -- that two simultaneous calls cannot both reset it. It lapses by itself if that call vanishes.
    reserved_by_call      uuid,
    reserved_until        timestamptz,
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now()
);

-- One row per call that reached the assistant. The id is made by the app, so that a call's record
-- and charges can be spooled locally while the database is down and replayed later, idempotently.
CREATE TABLE call (
    id                  uuid        PRIMARY KEY,
    -- The app instance that handled the call, so that after a crash it closes only its own calls.
    instance_id         varchar(64) NOT NULL,
    asterisk_uniqueid   varchar(64) NOT NULL,
    -- The caller ID exactly as Asterisk sent it (control characters escaped, at most 300 chars).
    caller_id_received  varchar(1200),
    -- The caller ID normalised to E.164, or NULL when it was withheld or not a valid number.
    caller_id_e164      varchar(16),
    language            varchar(2)  NOT NULL,
    started_at          timestamptz NOT NULL,
    answered_at         timestamptz,
    ended_at            timestamptz,
    outcome             varchar(32),
    input_method        varchar(16),
    code_tries          integer     NOT NULL DEFAULT 0,
    billed_minutes      integer,
    charged_vnd         bigint
);
CREATE INDEX call_uniqueid_idx ON call (asterisk_uniqueid);
CREATE INDEX call_open_idx ON call (instance_id, started_at) WHERE ended_at IS NULL;

-- One line per started minute of a call. The primary key makes writing a minute twice harmless.
CREATE TABLE charge_line (
    call_id            uuid        NOT NULL REFERENCES call (id),
    minute             integer     NOT NULL CONSTRAINT charge_line_minute_positive CHECK (minute >= 1),
    amount_vnd         integer     NOT NULL CONSTRAINT charge_line_amount_not_negative CHECK (amount_vnd >= 0),
    minute_started_at  timestamptz NOT NULL,
    recorded_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (call_id, minute)
);

-- What happened to an account, for audit and for the "resets per code per day" limit. Never a secret.
CREATE TABLE reset_event (
    id           bigserial   PRIMARY KEY,
    call_id      uuid        REFERENCES call (id),
    bhxh_code    char(10)    NOT NULL,
    kind         varchar(32) NOT NULL,
    occurred_at  timestamptz NOT NULL
);
CREATE INDEX reset_event_code_time_idx ON reset_event (bhxh_code, occurred_at);

-- Failed verifications per calling number, for the "failures per caller per hour" limit.
CREATE TABLE verification_failure (
    id           bigserial   PRIMARY KEY,
    caller_key   varchar(16) NOT NULL,
    reason       varchar(32) NOT NULL,
    occurred_at  timestamptz NOT NULL
);
CREATE INDEX verification_failure_caller_time_idx ON verification_failure (caller_key, occurred_at);

-- Notices for the citizen by another channel (SMS or e-mail) that a password was reset by phone.
-- A separate sender reads and marks them; they never hold a secret.
CREATE TABLE notification_outbox (
    id           bigserial   PRIMARY KEY,
    bhxh_code    char(10)    NOT NULL,
    phone_e164   varchar(16) NOT NULL,
    kind         varchar(40) NOT NULL,
    created_at   timestamptz NOT NULL,
    sent_at      timestamptz
);
CREATE INDEX notification_outbox_unsent_idx ON notification_outbox (created_at) WHERE sent_at IS NULL;

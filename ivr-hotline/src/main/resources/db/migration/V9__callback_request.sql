-- Call-back verification (IVR_VERIFICATION_MODE call-back): a caller whose code and number match is
-- called back on the number registered for the code, and hears the password only there.

-- One row per call-back promised to a caller. The number is copied from subscriber.phone_e164 when
-- the promise is made, never taken from the caller, and must be a Vietnamese E.164 number the
-- hotline may dial (the dialplan checks the same pattern before Dial()).
CREATE TABLE callback_request (
    id                 uuid        PRIMARY KEY,
    -- The call of the caller who asked.
    requested_by_call  uuid        NOT NULL,
    bhxh_code          char(10)    NOT NULL,
    phone_e164         varchar(16) NOT NULL CONSTRAINT callback_request_phone_is_diallable
                                   CHECK (phone_e164 ~ '^[+]84([35789][0-9]{8}|2[0-9]{9})$'),
    language           varchar(2)  NOT NULL,
    requested_at       timestamptz NOT NULL,
    -- requested, then what Asterisk said: answered, busy, no_answer, rejected, timed_out, failed.
    result             varchar(16) NOT NULL DEFAULT 'requested',
    result_at          timestamptz,
    -- The call-back leg that took this request: one leg per request, at most.
    leg_call_id        uuid        UNIQUE
);
-- The limits: call-backs per code within the reset window, and the gap between call-backs to a number.
CREATE INDEX callback_request_code_time_idx ON callback_request (bhxh_code, requested_at);
CREATE INDEX callback_request_phone_time_idx ON callback_request (phone_e164, requested_at);

-- A call-back leg is a call the hotline placed: its minutes are the hotline's cost, not the citizen's.
ALTER TABLE call ADD COLUMN call_back boolean NOT NULL DEFAULT false;

-- Notices are delivered by SMS over SMPP. Each row goes through these states:
--
--   pending     waiting to be sent (again from next_attempt_at, after a refusal or an SMSC outage)
--   submitting  claimed by one sender (claimed_by, claimed_at) in a transaction committed BEFORE the
--               submit_sm is written, so a crash can never leave a row that was sent looking unsent
--   sent        the SMSC answered submit_sm_resp OK with smsc_message_id
--   in_doubt    found 'submitting' after its sender died (kill -9, power loss) or lost its answer:
--               the SMSC may or may not have the message. Never sent again by itself; an operator
--               decides (README, "SMS notices")
--   failed      refused for good by the SMSC (last_error names why)
ALTER TABLE notification_outbox
    ADD COLUMN state             varchar(16) NOT NULL DEFAULT 'pending'
        CONSTRAINT notification_outbox_state_known
            CHECK (state IN ('pending', 'submitting', 'sent', 'in_doubt', 'failed')),
    ADD COLUMN attempts          integer     NOT NULL DEFAULT 0,
    ADD COLUMN next_attempt_at   timestamptz,
    ADD COLUMN claimed_by        varchar(64),
    ADD COLUMN claimed_at        timestamptz,
    ADD COLUMN smsc_message_id   varchar(65),
    ADD COLUMN last_error        varchar(200),
    -- The delivery receipt (deliver_sm) the SMSC sent back for smsc_message_id: its final state
    -- (DELIVRD, UNDELIV, EXPIRED, REJECTD, ...), error code, and when it reached us.
    ADD COLUMN receipt_state     varchar(16),
    ADD COLUMN receipt_error     varchar(8),
    ADD COLUMN receipt_at        timestamptz;

-- Every delivery receipt as it arrived. A receipt may overtake the submit_sm_resp it belongs to
-- (the SMSC sends both at once; the row is marked sent a moment later): kept here, it is copied
-- onto the row when the row is marked sent, and none is lost.
CREATE TABLE sms_delivery_receipt (
    id               bigserial   PRIMARY KEY,
    smsc_message_id  varchar(65) NOT NULL,
    state            varchar(16) NOT NULL,
    error            varchar(8),
    received_at      timestamptz NOT NULL
);
CREATE INDEX sms_delivery_receipt_message_idx ON sms_delivery_receipt (smsc_message_id, received_at);

-- Rows marked sent before this version (none were: nothing sent them) keep that state.
UPDATE notification_outbox SET state = 'sent' WHERE sent_at IS NOT NULL;

-- The sender's next rows: pending ones, oldest first. The old index served "sent_at IS NULL".
DROP INDEX notification_outbox_unsent_idx;
CREATE INDEX notification_outbox_waiting_idx ON notification_outbox (created_at)
    WHERE state IN ('pending', 'submitting');
CREATE INDEX notification_outbox_in_doubt_idx ON notification_outbox (created_at) WHERE state = 'in_doubt';
-- Delivery receipts name the message by the SMSC's id (not unique: a new SMSC may reuse ids).
CREATE INDEX notification_outbox_smsc_message_idx ON notification_outbox (smsc_message_id)
    WHERE smsc_message_id IS NOT NULL;

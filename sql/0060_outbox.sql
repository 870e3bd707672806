-- E-mail (issue 26): the outbox. A message is written in the transaction of the change that causes it (an enrolment,
-- a promotion, a report submitted or returned) or of the scheduled job that is due (reminder, evaluation link), and sent
-- later by the background worker (Mail/OutboxWorker.cs). A worker claims a row by setting status 'sending' with a lease
-- in the database; a row whose lease ran out (its process died) is claimed again. Sent rows stay as the record.

CREATE TABLE outbox (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    kind             TEXT    NOT NULL CHECK (kind IN ('invitation','promotion','reminder','evaluationLink','reportSubmitted','reportReturned','signInLink')),
    recipient        TEXT    NOT NULL,            -- the address; '' once the participant is erased
    participant_id   INTEGER NULL REFERENCES participants (id),
    user_id          INTEGER NULL REFERENCES users (id),
    course_id        INTEGER NULL REFERENCES courses (id) ON DELETE SET NULL,
    enrolment_id     INTEGER NULL REFERENCES enrolments (id) ON DELETE SET NULL,
    language         TEXT    NOT NULL,
    subject          TEXT    NOT NULL,
    body             TEXT    NOT NULL,
    calendar         TEXT    NULL,                -- an iCalendar (.ics) attachment, for invitations
    message_id       TEXT    NOT NULL UNIQUE,     -- the Message-ID header: the same on every attempt
    status           TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','sending','sent','failed','cancelled')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
    lease_until      TEXT    NULL,
    leased_by        TEXT    NULL,
    last_error       TEXT    NULL,
    created_at       TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
    sent_at          TEXT    NULL
);
-- What the worker looks for: due pending rows, and rows whose lease ran out.
CREATE INDEX ix_outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX ix_outbox_course ON outbox (course_id, kind);
-- One message of a kind per enrolment, whatever runs twice (a job after a restart, two API instances).
CREATE UNIQUE INDEX ux_outbox_enrolment_kind ON outbox (enrolment_id, kind) WHERE enrolment_id IS NOT NULL;

-- Erased participants get nothing, and their address and name leave the outbox too ("erased everywhere"):
-- what was waiting is cancelled, what was sent keeps only its kind, course and dates.
CREATE TRIGGER outbox_forget_erased_participant
AFTER UPDATE OF erased_at ON participants
WHEN NEW.erased_at IS NOT NULL AND OLD.erased_at IS NULL
BEGIN
    UPDATE outbox SET recipient = '', subject = '', body = '', calendar = NULL, last_error = NULL,
        status = CASE WHEN status IN ('pending','sending','failed') THEN 'cancelled' ELSE status END
    WHERE participant_id = NEW.id;
END;

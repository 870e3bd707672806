-- Follow-through (issue 14): programmes know their countries and their status, milestones can stand for
-- a course or a meeting (and are then completed by it), and delivering a course closes its waitlist.

-- Participating countries (JSON array of ISO 3166-1 alpha-2 codes, upper case) and where the programme is.
ALTER TABLE projects ADD COLUMN countries TEXT NOT NULL DEFAULT '[]';
ALTER TABLE projects ADD COLUMN status TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned','running','completed'));

-- A milestone names at most one of a course or a meeting; deleting that course or meeting unlinks it.
ALTER TABLE milestones ADD COLUMN course_id INTEGER NULL REFERENCES courses (id) ON DELETE SET NULL;
ALTER TABLE milestones ADD COLUMN meeting_id INTEGER NULL REFERENCES meetings (id) ON DELETE SET NULL
    CHECK (meeting_id IS NULL OR course_id IS NULL);
CREATE INDEX ix_milestones_course ON milestones (course_id) WHERE course_id IS NOT NULL;
CREATE INDEX ix_milestones_meeting ON milestones (meeting_id) WHERE meeting_id IS NOT NULL;

-- Enrolment status 'notAdmitted': a waitlisted enrolment when its course was delivered. SQLite cannot
-- change a CHECK in place, so the table is rebuilt with the same rows, ids, indexes, triggers and view.
-- legacy_alter_table keeps the rename from re-checking the attendance triggers, which name enrolments
-- in their bodies and resolve it again when they next run.
PRAGMA legacy_alter_table = ON;
DROP VIEW enrolment_completion;
CREATE TABLE enrolments_rebuilt (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,   -- arrival order: the waitlist is served by id
    course_id          INTEGER NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    participant_id     INTEGER NOT NULL REFERENCES participants (id),
    status             TEXT    NOT NULL CHECK (status IN ('enrolled','waitlisted','withdrawn','notAdmitted')),
    created_at         TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
    withdrawn_at       TEXT    NULL,
    version            INTEGER NOT NULL DEFAULT 1,
    sessions_attended  INTEGER NOT NULL DEFAULT 0
);
INSERT INTO enrolments_rebuilt (id, course_id, participant_id, status, created_at, withdrawn_at, version, sessions_attended)
SELECT id, course_id, participant_id, status, created_at, withdrawn_at, version, sessions_attended FROM enrolments;
DROP TABLE enrolments;
ALTER TABLE enrolments_rebuilt RENAME TO enrolments;
PRAGMA legacy_alter_table = OFF;

-- One live enrolment per participant and course; a withdrawn one may be followed by a new one (and so may
-- one not admitted, should the course ever take people again).
CREATE UNIQUE INDEX ux_enrolments_live ON enrolments (course_id, participant_id) WHERE status NOT IN ('withdrawn','notAdmitted');
CREATE INDEX ix_enrolments_course_status ON enrolments (course_id, status, id);

CREATE TRIGGER audit_enrolments_insert AFTER INSERT ON enrolments
BEGIN
    INSERT INTO audit_log (user_id, action, entity, entity_id, details, request)
    VALUES (je_actor(), 'enrolment.insert', 'enrolment', NEW.id, json_object('courseId', NEW.course_id, 'participantId', NEW.participant_id, 'status', NEW.status), je_request());
END;

CREATE TRIGGER audit_enrolments_update
AFTER UPDATE OF course_id, participant_id, status, withdrawn_at ON enrolments
BEGIN
    INSERT INTO audit_log (user_id, action, entity, entity_id, details, request)
    VALUES (je_actor(), 'enrolment.update', 'enrolment', NEW.id,
            json_object('courseId', NEW.course_id, 'participantId', NEW.participant_id, 'status', NEW.status), je_request());
END;

CREATE TRIGGER audit_enrolments_delete AFTER DELETE ON enrolments
BEGIN
    INSERT INTO audit_log (user_id, action, entity, entity_id, details, request)
    VALUES (je_actor(), 'enrolment.delete', 'enrolment', OLD.id, json_object('courseId', OLD.course_id, 'participantId', OLD.participant_id, 'status', OLD.status), je_request());
END;

-- Someone who withdrew and enrolled again keeps the sessions they attended.
CREATE TRIGGER enrolments_count_insert AFTER INSERT ON enrolments
BEGIN
    UPDATE enrolments SET sessions_attended = (
        SELECT COUNT(*) FROM attendance a JOIN course_sessions s ON s.id = a.session_id
        WHERE s.course_id = NEW.course_id AND a.participant_id = NEW.participant_id AND a.status IN ('present', 'late'))
    WHERE id = NEW.id AND EXISTS (
        SELECT 1 FROM attendance a JOIN course_sessions s ON s.id = a.session_id
        WHERE s.course_id = NEW.course_id AND a.participant_id = NEW.participant_id);
END;

-- One row per live enrolment (status enrolled). Division, not a multiplied threshold, keeps the
-- boundary exact: 4 of 5 sessions completes at 0.8.
CREATE VIEW enrolment_completion AS
SELECT e.id AS enrolment_id,
       e.course_id,
       e.participant_id,
       c.session_count AS sessions,
       e.sessions_attended AS attended,
       CASE WHEN c.session_count = 0 THEN 0.0 ELSE e.sessions_attended * 1.0 / c.session_count END AS rate,
       (c.status <> 'cancelled' AND c.session_count > 0
        AND e.sessions_attended * 1.0 / c.session_count >= c.completion_threshold) AS completed
FROM enrolments e
JOIN courses c ON c.id = e.course_id
WHERE e.status = 'enrolled';

-- "Completed" (a participant counts as trained) in one place, and cheap at any size.
--
-- A participant completes a course when the sessions they attended (present or late) divided by the
-- course's sessions reach the course's completion threshold; a cancelled course, or one without
-- sessions, trains nobody. Computing that from the attendance rows on every dashboard call grouped
-- ~100,000 rows at benchmark size (docs/benchmarks.md). Instead, triggers keep two counts current in
-- the same transaction as every attendance and session write: courses.session_count and
-- enrolments.sessions_attended. The view enrolment_completion is the single definition that the
-- attendance matrix, the dashboard and the workbooks read.
-- Write attendance with DELETE, INSERT or UPDATE, never INSERT OR REPLACE: its implicit delete fires no
-- trigger. CompletionCountsTests recounts from the attendance rows to hold every path to this.

ALTER TABLE courses ADD COLUMN session_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE enrolments ADD COLUMN sessions_attended INTEGER NOT NULL DEFAULT 0;

-- The counters are bookkeeping, not a user's change: the audit logs updates of the real columns only.
DROP TRIGGER audit_courses_update;
CREATE TRIGGER audit_courses_update
AFTER UPDATE OF project_id, title, country_code, city, venue, language, start_date, end_date, min_participants,
                max_participants, country_expert_user_id, evaluation_form_id, pre_test_form_id, post_test_form_id,
                completion_threshold, status ON courses
BEGIN
    INSERT INTO audit_log (user_id, action, entity, entity_id, details, request)
    VALUES (je_actor(), 'course.update', 'course', NEW.id,
            json_object('projectId', NEW.project_id, 'countryCode', NEW.country_code, 'status', NEW.status), je_request());
END;

DROP TRIGGER audit_enrolments_update;
CREATE TRIGGER audit_enrolments_update
AFTER UPDATE OF course_id, participant_id, status, withdrawn_at ON enrolments
BEGIN
    INSERT INTO audit_log (user_id, action, entity, entity_id, details, request)
    VALUES (je_actor(), 'enrolment.update', 'enrolment', NEW.id,
            json_object('courseId', NEW.course_id, 'participantId', NEW.participant_id, 'status', NEW.status), je_request());
END;

UPDATE courses SET session_count = (SELECT COUNT(*) FROM course_sessions s WHERE s.course_id = courses.id);
UPDATE enrolments SET sessions_attended = (
    SELECT COUNT(*) FROM attendance a JOIN course_sessions s ON s.id = a.session_id
    WHERE s.course_id = enrolments.course_id AND a.participant_id = enrolments.participant_id AND a.status IN ('present', 'late'));

CREATE TRIGGER course_sessions_count_insert AFTER INSERT ON course_sessions
BEGIN
    UPDATE courses SET session_count = session_count + 1 WHERE id = NEW.course_id;
END;

-- A session's attendance goes first, while the session still names its course, so the attended
-- counts below are kept right (a cascade would delete it after the session, too late to look up).
CREATE TRIGGER course_sessions_count_delete BEFORE DELETE ON course_sessions
BEGIN
    DELETE FROM attendance WHERE session_id = OLD.id;
    UPDATE courses SET session_count = session_count - 1 WHERE id = OLD.course_id;
END;

CREATE TRIGGER course_sessions_count_move AFTER UPDATE OF course_id ON course_sessions
BEGIN
    UPDATE courses SET session_count = session_count - 1 WHERE id = OLD.course_id;
    UPDATE courses SET session_count = session_count + 1 WHERE id = NEW.course_id;
END;

CREATE TRIGGER attendance_counts_insert AFTER INSERT ON attendance WHEN NEW.status IN ('present', 'late')
BEGIN
    UPDATE enrolments SET sessions_attended = sessions_attended + 1
    WHERE participant_id = NEW.participant_id AND course_id = (SELECT course_id FROM course_sessions WHERE id = NEW.session_id);
END;

CREATE TRIGGER attendance_counts_delete AFTER DELETE ON attendance WHEN OLD.status IN ('present', 'late')
BEGIN
    UPDATE enrolments SET sessions_attended = sessions_attended - 1
    WHERE participant_id = OLD.participant_id AND course_id = (SELECT course_id FROM course_sessions WHERE id = OLD.session_id);
END;

CREATE TRIGGER attendance_counts_update AFTER UPDATE OF session_id, participant_id, status ON attendance
BEGIN
    UPDATE enrolments SET sessions_attended = sessions_attended - (OLD.status IN ('present', 'late'))
    WHERE participant_id = OLD.participant_id AND course_id = (SELECT course_id FROM course_sessions WHERE id = OLD.session_id);
    UPDATE enrolments SET sessions_attended = sessions_attended + (NEW.status IN ('present', 'late'))
    WHERE participant_id = NEW.participant_id AND course_id = (SELECT course_id FROM course_sessions WHERE id = NEW.session_id);
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

-- The partial index 0005 made for grouping attendance rows has no reader left.
DROP INDEX ix_attendance_attended;

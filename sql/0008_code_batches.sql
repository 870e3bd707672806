-- Evaluation codes are issued in batches (API.md, "Anonymity of evaluations"): a batch is what a
-- coordinator prints as one sheet of slips, at least 5 codes, so no code can be told apart as the one
-- issued to a late enrolment. Codes print in code order, which is random with respect to issue order.
--
-- The per-row audit of codes goes: a code's insert time beside an enrolment's insert time tells which
-- code went to whom. A batch is recorded (who, when, how many), never its codes.
DROP TRIGGER IF EXISTS audit_evaluation_codes_insert;
DROP TRIGGER IF EXISTS audit_evaluation_codes_update;
DROP TRIGGER IF EXISTS audit_evaluation_codes_delete;

CREATE TABLE evaluation_code_batches (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    course_id   INTEGER NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    issued_on   TEXT    NOT NULL,            -- a date only
    code_count  INTEGER NOT NULL CHECK (code_count >= 1)
);
CREATE INDEX ix_evaluation_code_batches_course ON evaluation_code_batches (course_id);

ALTER TABLE evaluation_codes ADD COLUMN batch_id INTEGER NULL REFERENCES evaluation_code_batches (id) ON DELETE CASCADE;

-- Codes issued before batches existed form one batch per course.
INSERT INTO evaluation_code_batches (course_id, issued_on, code_count)
SELECT course_id, substr(MIN(created_at), 1, 10), COUNT(*) FROM evaluation_codes GROUP BY course_id;
UPDATE evaluation_codes
SET batch_id = (SELECT b.id FROM evaluation_code_batches b WHERE b.course_id = evaluation_codes.course_id);
CREATE INDEX ix_evaluation_codes_batch ON evaluation_codes (batch_id, code);

CREATE TRIGGER audit_evaluation_code_batches_insert AFTER INSERT ON evaluation_code_batches
BEGIN
    INSERT INTO audit_log (user_id, action, entity, entity_id, details, request)
    VALUES (je_actor(), 'evaluationCodeBatch.insert', 'evaluationCodeBatch', NEW.id,
            json_object('courseId', NEW.course_id, 'count', NEW.code_count), je_request());
END;

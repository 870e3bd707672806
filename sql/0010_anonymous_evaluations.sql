-- Anonymity of evaluations (issue 10, API.md "Anonymity of evaluations"): nothing the API keeps may
-- tie an answer to the person who gave it, not even for a reader who noted which slip went to whom.
--
-- 1. No per-row audit of responses, answers or code uses. An audit row per response carried its id
--    and a millisecond time beside the enrolment rows; both go, with the rows already written.
--    Paper forms are still accounted (who entered how many, for which course and purpose: the cap
--    of issue 10 item 5 is about exactly that), per course, dated to the day, without the response id.
DROP TRIGGER IF EXISTS audit_evaluation_responses_insert;
DROP TRIGGER IF EXISTS audit_evaluation_responses_update;
DROP TRIGGER IF EXISTS audit_evaluation_responses_delete;
DELETE FROM audit_log WHERE entity IN ('evaluationResponse', 'evaluationCode');

CREATE TRIGGER audit_evaluation_paper_forms_insert AFTER INSERT ON evaluation_responses WHEN NEW.source = 'paper'
BEGIN
    INSERT INTO audit_log (at, user_id, action, entity, entity_id, details, request)
    VALUES (strftime('%Y-%m-%dT00:00:00.000Z', 'now'), je_actor(), 'evaluationPaperForm.insert', 'course', NEW.course_id,
            json_object('purpose', NEW.purpose), je_request());
END;

-- 2. A reaction response keeps no link to its code: the code is only marked used for that purpose here.
--    The primary key is what makes a code single-use per purpose, also under concurrent submissions.
--    WITHOUT ROWID and no time: the rows are stored in key order, so the order in which codes were
--    used cannot be read back and joined to the order of the responses.
--    Pre- and post-test responses keep code_id: pairing them by code is what knowledgeGain needs.
CREATE TABLE evaluation_code_uses (
    code_id  INTEGER NOT NULL REFERENCES evaluation_codes (id) ON DELETE CASCADE,
    purpose  TEXT    NOT NULL CHECK (purpose IN ('reaction','preTest','postTest')),
    PRIMARY KEY (code_id, purpose)
) WITHOUT ROWID;

INSERT INTO evaluation_code_uses (code_id, purpose)
SELECT code_id, purpose FROM evaluation_responses WHERE code_id IS NOT NULL ORDER BY code_id, purpose;
UPDATE evaluation_responses SET code_id = NULL WHERE purpose = 'reaction';

--    Ids in insertion order would undo that: a reaction stored right after a post-test of the same
--    person sits next to it. Responses and answers get random ids (the API draws them the same way);
--    the existing ones are renumbered here (foreign keys are checked at commit).
PRAGMA defer_foreign_keys = ON;
CREATE TEMP TABLE response_new_ids AS
SELECT id AS old_id, (abs(random()) % 9007199254740990) + 1 AS new_id FROM evaluation_responses;
UPDATE evaluation_answers SET response_id = (SELECT n.new_id FROM temp.response_new_ids n WHERE n.old_id = evaluation_answers.response_id);
UPDATE evaluation_responses SET id = (SELECT n.new_id FROM temp.response_new_ids n WHERE n.old_id = evaluation_responses.id);
UPDATE evaluation_answers SET id = (abs(random()) % 9007199254740990) + 1;
DROP TABLE temp.response_new_ids;

-- 3. Dates only. SQLite changes a column default only by rebuilding the table (which would cascade
--    through the answers), so these triggers cut whatever time a writer gives to the date, in the same
--    statement; the API itself writes the date.
UPDATE evaluation_responses SET submitted_at = substr(submitted_at, 1, 10) WHERE length(submitted_at) > 10;
UPDATE evaluation_codes SET created_at = substr(created_at, 1, 10) WHERE length(created_at) > 10;

CREATE TRIGGER evaluation_responses_date_only AFTER INSERT ON evaluation_responses WHEN length(NEW.submitted_at) > 10
BEGIN
    UPDATE evaluation_responses SET submitted_at = substr(NEW.submitted_at, 1, 10) WHERE id = NEW.id;
END;

CREATE TRIGGER evaluation_codes_date_only AFTER INSERT ON evaluation_codes WHEN length(NEW.created_at) > 10
BEGIN
    UPDATE evaluation_codes SET created_at = substr(NEW.created_at, 1, 10) WHERE id = NEW.id;
END;

-- 4. Idempotency records of anonymous callers keep no client IP (IdempotencyMiddleware now scopes them
--    'anonymous'); the ones already kept are dropped.
DELETE FROM idempotency_keys WHERE scope LIKE 'ip:%';

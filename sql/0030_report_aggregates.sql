-- Reports at 10x (issue 16): the dashboard reads O(courses) rows, never O(answers) or O(enrolments).
--
-- At 5,000 courses (6 million answers, 200,000 enrolments) the dashboard grouped every enrolment, response,
-- overall answer and test pair on each call: 0.9 s (docs/benchmarks.md). Like sql/0007, triggers now keep
-- the aggregates current in the same transaction as every write, so a figure is exact and fresh after every
-- write, and the reports read:
--   report_course_evaluations  per course: reaction responses (paper among them), the overall answers'
--                              count and sum, pre/post tests, and the test pairs' count and score sums;
--   report_people              per programme, country and participant: live enrolments in courses not
--                              cancelled, and whether trained in one of them (the distinct people);
--   report_countries           per programme and country: people, trained, enrolments (report_people added up);
--   report_mix                 per programme, sector and seniority: distinct people and trained.
-- Sums, never means: a mean of means would weigh a course of 3 answers like one of 40.
--
-- Anonymity (API.md, docs/reliability.md): nothing here names a response, an answer or a code, and nothing
-- keeps a time. report_people links a participant to a programme and country, which enrolments already do.
--
-- Each aggregate is rewritten from its base rows rather than nudged by +1/-1: a sum of REAL scores that is
-- added to and taken from drifts, and one recount per course or person is cheap (a course has ~40 of each).
-- A trigger asks for a recount by inserting the course or the person into a *_refresh table; that table's
-- own trigger recounts and removes the row, so each recount is written once, below.
-- Writes to enrolments, attendance and the rest must still fire their triggers: no INSERT OR REPLACE.

-- The people of one participant are found through their enrolments.
CREATE INDEX ix_enrolments_participant ON enrolments (participant_id, course_id);

-- Evaluation figures per course ------------------------------------------------------------------------------

CREATE TABLE report_course_evaluations (
    course_id        INTEGER PRIMARY KEY REFERENCES courses (id) ON DELETE CASCADE,
    reactions        INTEGER NOT NULL DEFAULT 0,   -- reaction responses
    paper            INTEGER NOT NULL DEFAULT 0,   -- of them on paper
    overall_answers  INTEGER NOT NULL DEFAULT 0,   -- answers to 'overall' of a form where it is likert5
    overall_sum      REAL    NOT NULL DEFAULT 0,
    pre_tests        INTEGER NOT NULL DEFAULT 0,
    post_tests       INTEGER NOT NULL DEFAULT 0,
    pairs            INTEGER NOT NULL DEFAULT 0,   -- a scored pre- and post-test of one code
    pre_sum          REAL    NOT NULL DEFAULT 0,
    post_sum         REAL    NOT NULL DEFAULT 0,
    gain_sum         REAL    NOT NULL DEFAULT 0
);

CREATE TABLE report_course_refresh (
    course_id  INTEGER NOT NULL,
    reactions  INTEGER NOT NULL,   -- recount the reaction figures
    tests      INTEGER NOT NULL    -- recount the knowledge-test figures
);

-- The same definitions as the dashboard had: DashboardQuery's old per-country statement, per course.
CREATE TRIGGER report_course_refresh AFTER INSERT ON report_course_refresh
BEGIN
    UPDATE report_course_evaluations
    SET (reactions, paper) = (
            SELECT COUNT(*), COALESCE(SUM(r.source = 'paper'), 0)
            FROM evaluation_responses r WHERE r.course_id = NEW.course_id AND r.purpose = 'reaction'),
        (overall_answers, overall_sum) = (
            SELECT COUNT(a.number_value), TOTAL(a.number_value)
            FROM evaluation_responses r
            JOIN evaluation_answers a INDEXED BY ix_evaluation_answers_overall ON a.response_id = r.id AND a.question_key = 'overall'
            WHERE r.course_id = NEW.course_id AND r.purpose = 'reaction'
              AND r.form_id IN (SELECT form_id FROM form_questions WHERE question_key = 'overall' AND type = 'likert5'))
    WHERE course_id = NEW.course_id AND NEW.reactions;

    UPDATE report_course_evaluations
    SET (pre_tests, post_tests) = (
            SELECT COALESCE(SUM(r.purpose = 'preTest'), 0), COALESCE(SUM(r.purpose = 'postTest'), 0)
            FROM evaluation_responses r WHERE r.course_id = NEW.course_id AND r.purpose IN ('preTest', 'postTest')),
        (pairs, pre_sum, post_sum, gain_sum) = (
            SELECT COUNT(*), TOTAL(pre.score), TOTAL(post.score), TOTAL(post.score - pre.score)
            FROM evaluation_responses pre
            JOIN evaluation_responses post ON post.code_id = pre.code_id AND post.purpose = 'postTest' AND post.course_id = pre.course_id
            WHERE pre.course_id = NEW.course_id AND pre.purpose = 'preTest'
              AND pre.code_id IS NOT NULL AND pre.score IS NOT NULL AND post.score IS NOT NULL)
    WHERE course_id = NEW.course_id AND NEW.tests;

    DELETE FROM report_course_refresh WHERE rowid = NEW.rowid;
END;

CREATE TRIGGER report_course_evaluations_course_insert AFTER INSERT ON courses
BEGIN
    INSERT INTO report_course_evaluations (course_id) VALUES (NEW.id);
END;

CREATE TRIGGER report_course_evaluations_response_insert AFTER INSERT ON evaluation_responses
BEGIN
    INSERT INTO report_course_refresh (course_id, reactions, tests)
    VALUES (NEW.course_id, NEW.purpose = 'reaction', NEW.purpose <> 'reaction');
END;

-- Also when a course's responses go with it: its row goes too (ON DELETE CASCADE), and this finds none.
CREATE TRIGGER report_course_evaluations_response_delete AFTER DELETE ON evaluation_responses
BEGIN
    INSERT INTO report_course_refresh (course_id, reactions, tests)
    VALUES (OLD.course_id, OLD.purpose = 'reaction', OLD.purpose <> 'reaction');
END;

CREATE TRIGGER report_course_evaluations_response_update
AFTER UPDATE OF id, course_id, form_id, purpose, code_id, source, score ON evaluation_responses
BEGIN
    INSERT INTO report_course_refresh (course_id, reactions, tests) VALUES (OLD.course_id, 1, 1);
    INSERT INTO report_course_refresh (course_id, reactions, tests) SELECT NEW.course_id, 1, 1 WHERE NEW.course_id IS NOT OLD.course_id;
END;

-- The answers of a response deleted with it find no response here: the response's own trigger recounts.
CREATE TRIGGER report_course_evaluations_answer_insert AFTER INSERT ON evaluation_answers WHEN NEW.question_key = 'overall'
BEGIN
    INSERT INTO report_course_refresh (course_id, reactions, tests)
    SELECT course_id, 1, 0 FROM evaluation_responses WHERE id = NEW.response_id;
END;

CREATE TRIGGER report_course_evaluations_answer_delete AFTER DELETE ON evaluation_answers WHEN OLD.question_key = 'overall'
BEGIN
    INSERT INTO report_course_refresh (course_id, reactions, tests)
    SELECT course_id, 1, 0 FROM evaluation_responses WHERE id = OLD.response_id;
END;

CREATE TRIGGER report_course_evaluations_answer_update AFTER UPDATE OF response_id, question_key, number_value ON evaluation_answers
WHEN OLD.question_key = 'overall' OR NEW.question_key = 'overall'
BEGIN
    INSERT INTO report_course_refresh (course_id, reactions, tests)
    SELECT DISTINCT course_id, 1, 0 FROM evaluation_responses WHERE id IN (OLD.response_id, NEW.response_id);
END;

-- Whether a form's 'overall' is likert5 decides whether its answers count (a form with answers is frozen by
-- the API, but a recount costs little).
CREATE TRIGGER report_course_evaluations_question_insert AFTER INSERT ON form_questions WHEN NEW.question_key = 'overall'
BEGIN
    INSERT INTO report_course_refresh (course_id, reactions, tests)
    SELECT DISTINCT course_id, 1, 0 FROM evaluation_responses WHERE form_id = NEW.form_id;
END;

CREATE TRIGGER report_course_evaluations_question_delete AFTER DELETE ON form_questions WHEN OLD.question_key = 'overall'
BEGIN
    INSERT INTO report_course_refresh (course_id, reactions, tests)
    SELECT DISTINCT course_id, 1, 0 FROM evaluation_responses WHERE form_id = OLD.form_id;
END;

CREATE TRIGGER report_course_evaluations_question_update AFTER UPDATE OF form_id, question_key, type ON form_questions
WHEN OLD.question_key = 'overall' OR NEW.question_key = 'overall'
BEGIN
    INSERT INTO report_course_refresh (course_id, reactions, tests)
    SELECT DISTINCT course_id, 1, 0 FROM evaluation_responses WHERE form_id IN (OLD.form_id, NEW.form_id);
END;

-- People: distinct participants per programme and country, and per programme by sector and seniority ---------

CREATE TABLE report_people (
    project_id      INTEGER NOT NULL,
    participant_id  INTEGER NOT NULL,
    country_code    TEXT    NOT NULL,   -- the course's country
    sector          TEXT    NOT NULL,   -- the participant's, kept so that a change of sector can be taken back
    seniority       TEXT    NOT NULL,
    enrolments      INTEGER NOT NULL,   -- live enrolments (status enrolled) in courses not cancelled
    trained         INTEGER NOT NULL,   -- 1 when one of them is completed (the view enrolment_completion)
    PRIMARY KEY (project_id, participant_id, country_code)
) WITHOUT ROWID;

CREATE TABLE report_countries (
    project_id    INTEGER NOT NULL,
    country_code  TEXT    NOT NULL,
    people        INTEGER NOT NULL DEFAULT 0,
    trained       INTEGER NOT NULL DEFAULT 0,
    enrolments    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (project_id, country_code)
) WITHOUT ROWID;

CREATE TABLE report_mix (
    project_id  INTEGER NOT NULL,
    sector      TEXT    NOT NULL,
    seniority   TEXT    NOT NULL,
    people      INTEGER NOT NULL DEFAULT 0,
    trained     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (project_id, sector, seniority)
) WITHOUT ROWID;

-- Backfill, before the triggers that keep the sums: the same definitions, added up in one pass.
INSERT INTO report_people (project_id, participant_id, country_code, sector, seniority, enrolments, trained)
SELECT c.project_id, ec.participant_id, c.country_code, p.sector, p.seniority, COUNT(*), MAX(ec.completed)
FROM enrolment_completion ec
JOIN courses c ON c.id = ec.course_id
JOIN participants p ON p.id = ec.participant_id
WHERE c.status <> 'cancelled'
GROUP BY c.project_id, ec.participant_id, c.country_code;

INSERT INTO report_countries (project_id, country_code, people, trained, enrolments)
SELECT project_id, country_code, COUNT(*), SUM(trained), SUM(enrolments) FROM report_people GROUP BY project_id, country_code;

INSERT INTO report_mix (project_id, sector, seniority, people, trained)
SELECT project_id, sector, seniority, COUNT(*), SUM(trained)
FROM (SELECT project_id, sector, seniority, MAX(trained) AS trained FROM report_people GROUP BY project_id, participant_id, sector, seniority)
GROUP BY project_id, sector, seniority;

-- report_people is only ever inserted and deleted (a recount deletes a person's rows and inserts them anew), and
-- these keep the sums; a person counts once in the programme however many countries they were trained in.
CREATE TRIGGER report_people_no_update BEFORE UPDATE ON report_people
BEGIN
    SELECT RAISE(ABORT, 'report_people is recounted (deleted and inserted), never updated');
END;

CREATE TRIGGER report_people_insert AFTER INSERT ON report_people
BEGIN
    INSERT OR IGNORE INTO report_countries (project_id, country_code) VALUES (NEW.project_id, NEW.country_code);
    UPDATE report_countries
    SET people = people + 1, trained = trained + NEW.trained, enrolments = enrolments + NEW.enrolments
    WHERE project_id = NEW.project_id AND country_code = NEW.country_code;

    INSERT OR IGNORE INTO report_mix (project_id, sector, seniority) VALUES (NEW.project_id, NEW.sector, NEW.seniority);
    UPDATE report_mix
    SET people = people + NOT EXISTS (
            SELECT 1 FROM report_people o
            WHERE o.project_id = NEW.project_id AND o.participant_id = NEW.participant_id AND o.country_code <> NEW.country_code),
        trained = trained + (NEW.trained AND NOT EXISTS (
            SELECT 1 FROM report_people o
            WHERE o.project_id = NEW.project_id AND o.participant_id = NEW.participant_id AND o.country_code <> NEW.country_code AND o.trained))
    WHERE project_id = NEW.project_id AND sector = NEW.sector AND seniority = NEW.seniority;
END;

CREATE TRIGGER report_people_delete AFTER DELETE ON report_people
BEGIN
    UPDATE report_countries
    SET people = people - 1, trained = trained - OLD.trained, enrolments = enrolments - OLD.enrolments
    WHERE project_id = OLD.project_id AND country_code = OLD.country_code;

    UPDATE report_mix
    SET people = people - NOT EXISTS (
            SELECT 1 FROM report_people o WHERE o.project_id = OLD.project_id AND o.participant_id = OLD.participant_id),
        trained = trained - (OLD.trained AND NOT EXISTS (
            SELECT 1 FROM report_people o WHERE o.project_id = OLD.project_id AND o.participant_id = OLD.participant_id AND o.trained))
    WHERE project_id = OLD.project_id AND sector = OLD.sector AND seniority = OLD.seniority;
END;

CREATE TABLE report_people_refresh (
    project_id      INTEGER NOT NULL,
    participant_id  INTEGER NOT NULL
);

CREATE TRIGGER report_people_refresh AFTER INSERT ON report_people_refresh
BEGIN
    DELETE FROM report_people WHERE project_id = NEW.project_id AND participant_id = NEW.participant_id;
    INSERT INTO report_people (project_id, participant_id, country_code, sector, seniority, enrolments, trained)
    SELECT c.project_id, ec.participant_id, c.country_code, p.sector, p.seniority, COUNT(*), MAX(ec.completed)
    FROM enrolment_completion ec
    JOIN courses c ON c.id = ec.course_id
    JOIN participants p ON p.id = ec.participant_id
    WHERE ec.participant_id = NEW.participant_id AND c.project_id = NEW.project_id AND c.status <> 'cancelled'
    GROUP BY c.project_id, ec.participant_id, c.country_code;
    DELETE FROM report_people_refresh WHERE rowid = NEW.rowid;
END;

-- Enrolment, withdrawal, promotion from the waitlist, attendance (sessions_attended, sql/0007).
CREATE TRIGGER report_people_enrolment_insert AFTER INSERT ON enrolments WHEN NEW.status = 'enrolled'
BEGIN
    INSERT INTO report_people_refresh (project_id, participant_id)
    SELECT project_id, NEW.participant_id FROM courses WHERE id = NEW.course_id;
END;

CREATE TRIGGER report_people_enrolment_delete AFTER DELETE ON enrolments WHEN OLD.status = 'enrolled'
BEGIN
    INSERT INTO report_people_refresh (project_id, participant_id)
    SELECT project_id, OLD.participant_id FROM courses WHERE id = OLD.course_id;
END;

CREATE TRIGGER report_people_enrolment_update AFTER UPDATE OF course_id, participant_id, status, sessions_attended ON enrolments
WHEN (OLD.status = 'enrolled' OR NEW.status = 'enrolled')
 AND (OLD.course_id IS NOT NEW.course_id OR OLD.participant_id IS NOT NEW.participant_id
      OR OLD.status IS NOT NEW.status OR OLD.sessions_attended IS NOT NEW.sessions_attended)
BEGIN
    INSERT INTO report_people_refresh (project_id, participant_id)
    SELECT project_id, OLD.participant_id FROM courses WHERE id = OLD.course_id;
    INSERT INTO report_people_refresh (project_id, participant_id)
    SELECT project_id, NEW.participant_id FROM courses
    WHERE id = NEW.course_id AND (OLD.course_id IS NOT NEW.course_id OR OLD.participant_id IS NOT NEW.participant_id);
END;

-- A course's programme, country, status (cancelled trains nobody), sessions or threshold: its people are recounted.
CREATE TRIGGER report_people_course_update
AFTER UPDATE OF project_id, country_code, status, session_count, completion_threshold ON courses
WHEN OLD.project_id IS NOT NEW.project_id OR OLD.country_code IS NOT NEW.country_code OR OLD.status IS NOT NEW.status
  OR OLD.session_count IS NOT NEW.session_count OR OLD.completion_threshold IS NOT NEW.completion_threshold
BEGIN
    INSERT INTO report_people_refresh (project_id, participant_id)
    SELECT NEW.project_id, participant_id FROM enrolments WHERE course_id = NEW.id AND status = 'enrolled';
    INSERT INTO report_people_refresh (project_id, participant_id)
    SELECT OLD.project_id, participant_id FROM enrolments WHERE course_id = NEW.id AND status = 'enrolled' AND OLD.project_id IS NOT NEW.project_id;
END;

-- A course deleted with its enrolments (the API refuses that; a shell need not): the enrolments go first, while
-- the course still names its programme, as the attendance of a session does in sql/0007.
CREATE TRIGGER report_people_course_delete BEFORE DELETE ON courses
BEGIN
    DELETE FROM enrolments WHERE course_id = OLD.id;
END;

-- A participant's sector or seniority; erasure (names and e-mail only) changes no count.
CREATE TRIGGER report_people_participant_update AFTER UPDATE OF sector, seniority ON participants
WHEN OLD.sector IS NOT NEW.sector OR OLD.seniority IS NOT NEW.seniority
BEGIN
    INSERT INTO report_people_refresh (project_id, participant_id)
    SELECT DISTINCT c.project_id, NEW.id FROM enrolments e JOIN courses c ON c.id = e.course_id
    WHERE e.participant_id = NEW.id AND e.status = 'enrolled';
END;

-- Backfill of the evaluation figures, through the very recount the triggers use.
INSERT INTO report_course_evaluations (course_id) SELECT id FROM courses;
INSERT INTO report_course_refresh (course_id, reactions, tests) SELECT id, 1, 1 FROM courses;

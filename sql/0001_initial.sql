-- JointEfforts schema, version 1.
-- Conventions: dates are TEXT 'YYYY-MM-DD'; timestamps are TEXT UTC ISO 8601 with 'Z'
-- (strftime('%Y-%m-%dT%H:%M:%fZ','now')); enums are their camelCase API names; every
-- updatable row carries a `version` that becomes its ETag and is bumped by each update.

-- Users and API tokens ------------------------------------------------------------------

CREATE TABLE users (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    user_name     TEXT    NOT NULL COLLATE NOCASE,
    display_name  TEXT    NOT NULL,
    role          TEXT    NOT NULL CHECK (role IN ('admin','coordinator','countryExpert','steeringGroup')),
    country_code  TEXT    NULL,
    created_at    TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
    deleted_at    TEXT    NULL,
    version       INTEGER NOT NULL DEFAULT 1,
    CHECK (role <> 'countryExpert' OR country_code IS NOT NULL)
);
-- A deleted user's name may be given to someone new.
CREATE UNIQUE INDEX ux_users_user_name ON users (user_name) WHERE deleted_at IS NULL;

CREATE TABLE api_tokens (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id     INTEGER NOT NULL REFERENCES users (id),
    token_hash  TEXT    NOT NULL UNIQUE,   -- SHA-256 of the token, hex; the token itself is never stored
    created_at  TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
    expires_at  TEXT    NULL,
    revoked_at  TEXT    NULL
);
CREATE INDEX ix_api_tokens_user ON api_tokens (user_id);

-- Idempotency-Key replays: one row per (caller, key), kept at least 24 hours.
CREATE TABLE idempotency_keys (
    scope         TEXT    NOT NULL,        -- 'user:<id>' or 'ip:<address>'
    key           TEXT    NOT NULL,
    method        TEXT    NOT NULL,
    path          TEXT    NOT NULL,
    request_hash  TEXT    NOT NULL,
    status_code   INTEGER NULL,            -- NULL while the first request is still running
    content_type  TEXT    NULL,
    location      TEXT    NULL,
    etag          TEXT    NULL,
    body          BLOB    NULL,
    created_at    TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
    PRIMARY KEY (scope, key)
);
CREATE INDEX ix_idempotency_keys_created ON idempotency_keys (created_at);

-- Programmes, phases, milestones ----------------------------------------------------------

CREATE TABLE projects (
    id                           INTEGER PRIMARY KEY AUTOINCREMENT,
    code                         TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    title                        TEXT    NOT NULL,
    funding_programme            TEXT    NOT NULL,
    start_date                   TEXT    NOT NULL,
    end_date                     TEXT    NOT NULL,
    target_participants_trained  INTEGER NOT NULL CHECK (target_participants_trained >= 0),
    beneficiaries                TEXT    NOT NULL DEFAULT '[]',   -- JSON array of organisation names
    created_at                   TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
    updated_at                   TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
    version                      INTEGER NOT NULL DEFAULT 1,
    CHECK (end_date >= start_date)
);

CREATE TABLE phases (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id     INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    number         INTEGER NOT NULL CHECK (number BETWEEN 1 AND 5),
    kind           TEXT    NOT NULL CHECK (kind IN ('planning','preparation','development','testingAndImplementation','evaluationAndConclusions')),
    name           TEXT    NOT NULL,
    planned_start  TEXT    NULL,
    planned_end    TEXT    NULL,
    status         TEXT    NOT NULL DEFAULT 'notStarted' CHECK (status IN ('notStarted','inProgress','completed')),
    version        INTEGER NOT NULL DEFAULT 1,
    UNIQUE (project_id, number)
);

CREATE TABLE milestones (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    phase_id      INTEGER NOT NULL REFERENCES phases (id) ON DELETE CASCADE,
    title         TEXT    NOT NULL,
    kind          TEXT    NOT NULL CHECK (kind IN ('meeting','deliverable','activity')),
    due_date      TEXT    NOT NULL,
    completed_on  TEXT    NULL,
    created_at    TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
    version       INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX ix_milestones_phase ON milestones (phase_id);

-- Meetings, attendees, recommendations -----------------------------------------------------

CREATE TABLE meetings (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id    INTEGER NOT NULL REFERENCES projects (id),
    phase_id      INTEGER NULL REFERENCES phases (id),
    kind          TEXT    NOT NULL CHECK (kind IN ('steeringGroup','expertGroup','conference','studyVisit','kickOff')),
    title         TEXT    NOT NULL,
    topic         TEXT    NULL,
    city          TEXT    NOT NULL,
    country_code  TEXT    NOT NULL,
    start_date    TEXT    NOT NULL,
    end_date      TEXT    NOT NULL,
    capacity      INTEGER NULL CHECK (capacity IS NULL OR capacity >= 1),
    conclusions   TEXT    NULL,
    created_at    TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
    version       INTEGER NOT NULL DEFAULT 1,
    CHECK (end_date >= start_date)
);
CREATE INDEX ix_meetings_project ON meetings (project_id);

CREATE TABLE meeting_attendees (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    meeting_id         INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    full_name          TEXT    NOT NULL,
    organisation       TEXT    NOT NULL,
    organisation_type  TEXT    NOT NULL CHECK (organisation_type IN ('government','ngo','internationalOrganisation','academia','lawEnforcement','health','judiciary','other')),
    country_code       TEXT    NOT NULL,
    created_at         TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);
CREATE INDEX ix_meeting_attendees_meeting ON meeting_attendees (meeting_id);

CREATE TABLE recommendations (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    meeting_id  INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    text        TEXT    NOT NULL,
    owner       TEXT    NULL,
    due_date    TEXT    NULL,
    status      TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open','inProgress','implemented','dropped')),
    created_at  TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
    updated_at  TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
    version     INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX ix_recommendations_meeting ON recommendations (meeting_id);

-- Evaluation forms ----------------------------------------------------------------------------

CREATE TABLE evaluation_forms (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    title           TEXT    NOT NULL,
    purpose         TEXT    NOT NULL DEFAULT 'reaction' CHECK (purpose IN ('reaction','preTest','postTest')),
    languages       TEXT    NOT NULL,       -- JSON array of ISO 639-1 codes
    copied_from_id  INTEGER NULL REFERENCES evaluation_forms (id),
    created_at      TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
    version         INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE form_questions (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    form_id         INTEGER NOT NULL REFERENCES evaluation_forms (id) ON DELETE CASCADE,
    position        INTEGER NOT NULL,
    question_key    TEXT    NOT NULL,
    type            TEXT    NOT NULL CHECK (type IN ('likert5','singleChoice','multipleChoice','text','number')),
    level           TEXT    NOT NULL CHECK (level IN ('reaction','learning','behaviour','results')),
    required        INTEGER NOT NULL DEFAULT 0,
    texts           TEXT    NOT NULL,       -- JSON object language -> text
    options         TEXT    NULL,           -- JSON array of { value, text: { lang: text } }
    correct_option  TEXT    NULL,           -- knowledge tests only
    points          REAL    NULL,           -- knowledge tests only
    UNIQUE (form_id, question_key)
);

-- Pilot courses, participants, enrolment, attendance -------------------------------------------

CREATE TABLE courses (
    id                      INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id              INTEGER NOT NULL REFERENCES projects (id),
    title                   TEXT    NOT NULL,
    country_code            TEXT    NOT NULL,
    city                    TEXT    NOT NULL,
    venue                   TEXT    NULL,
    language                TEXT    NOT NULL,
    start_date              TEXT    NOT NULL,
    end_date                TEXT    NOT NULL,
    min_participants        INTEGER NOT NULL DEFAULT 25,
    max_participants        INTEGER NOT NULL DEFAULT 40,
    country_expert_user_id  INTEGER NULL REFERENCES users (id),
    evaluation_form_id      INTEGER NULL REFERENCES evaluation_forms (id),
    pre_test_form_id        INTEGER NULL REFERENCES evaluation_forms (id),
    post_test_form_id       INTEGER NULL REFERENCES evaluation_forms (id),
    completion_threshold    REAL    NOT NULL DEFAULT 0.8 CHECK (completion_threshold > 0 AND completion_threshold <= 1),
    status                  TEXT    NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','open','closed','delivered','evaluated','cancelled')),
    created_at              TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
    version                 INTEGER NOT NULL DEFAULT 1,
    CHECK (min_participants >= 1 AND min_participants <= max_participants),
    CHECK (end_date >= start_date)
);
CREATE INDEX ix_courses_project ON courses (project_id, country_code, status);

CREATE TABLE course_sessions (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    course_id  INTEGER NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    date       TEXT    NOT NULL,
    title      TEXT    NOT NULL,
    hours      REAL    NOT NULL CHECK (hours > 0 AND hours <= 24),
    version    INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX ix_course_sessions_course ON course_sessions (course_id, date);

CREATE TABLE participants (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    full_name     TEXT    NULL,             -- NULL once erased
    email         TEXT    NULL,
    organisation  TEXT    NOT NULL,
    sector        TEXT    NOT NULL CHECK (sector IN ('lawEnforcement','borderGuard','judiciary','health','ngo','labourInspection','socialServices','prison','other')),
    country_code  TEXT    NOT NULL,
    seniority     TEXT    NOT NULL CHECK (seniority IN ('senior','field')),
    created_at    TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
    erased_at     TEXT    NULL,
    version       INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX ix_participants_email ON participants (email COLLATE NOCASE);

CREATE TABLE enrolments (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,   -- arrival order: the waitlist is served by id
    course_id       INTEGER NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    participant_id  INTEGER NOT NULL REFERENCES participants (id),
    status          TEXT    NOT NULL CHECK (status IN ('enrolled','waitlisted','withdrawn')),
    created_at      TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
    withdrawn_at    TEXT    NULL
);
-- One live enrolment per participant and course; a withdrawn one may be followed by a new one.
CREATE UNIQUE INDEX ux_enrolments_live ON enrolments (course_id, participant_id) WHERE status <> 'withdrawn';
CREATE INDEX ix_enrolments_course_status ON enrolments (course_id, status, id);

CREATE TABLE attendance (
    session_id      INTEGER NOT NULL REFERENCES course_sessions (id) ON DELETE CASCADE,
    participant_id  INTEGER NOT NULL REFERENCES participants (id),
    status          TEXT    NOT NULL CHECK (status IN ('present','late','excused','absent')),
    recorded_at     TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
    recorded_by     INTEGER NULL REFERENCES users (id),
    PRIMARY KEY (session_id, participant_id)
);

-- Anonymous evaluation ------------------------------------------------------------------------

-- Codes belong to a course, never to a participant: slips are handed out at random.
CREATE TABLE evaluation_codes (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    course_id   INTEGER NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    code        TEXT    NOT NULL UNIQUE,
    created_at  TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);

CREATE TABLE evaluation_responses (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    course_id     INTEGER NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    form_id       INTEGER NOT NULL REFERENCES evaluation_forms (id),
    purpose       TEXT    NOT NULL CHECK (purpose IN ('reaction','preTest','postTest')),
    code_id       INTEGER NULL REFERENCES evaluation_codes (id),   -- NULL for paper forms
    source        TEXT    NOT NULL CHECK (source IN ('online','paper')),
    language      TEXT    NOT NULL,
    score         REAL    NULL,          -- knowledge tests: points earned / points possible, 0..1
    submitted_at  TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);
-- A code is used once per purpose: this index, not a read-then-write, is what guarantees it.
CREATE UNIQUE INDEX ux_evaluation_responses_code_purpose ON evaluation_responses (code_id, purpose) WHERE code_id IS NOT NULL;
CREATE INDEX ix_evaluation_responses_course ON evaluation_responses (course_id, purpose);
CREATE INDEX ix_evaluation_responses_form ON evaluation_responses (form_id);

-- One row per answered question; a multipleChoice answer has one row per chosen option.
CREATE TABLE evaluation_answers (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    response_id   INTEGER NOT NULL REFERENCES evaluation_responses (id) ON DELETE CASCADE,
    question_key  TEXT    NOT NULL,
    option_value  TEXT    NULL,          -- singleChoice / multipleChoice
    number_value  REAL    NULL,          -- likert5 / number
    text_value    TEXT    NULL           -- text
);
CREATE INDEX ix_evaluation_answers_response ON evaluation_answers (response_id, question_key);

CREATE TABLE evaluation_reports (
    course_id              INTEGER PRIMARY KEY REFERENCES courses (id) ON DELETE CASCADE,
    delivered_on           TEXT    NULL,
    participants_attended  INTEGER NULL CHECK (participants_attended IS NULL OR participants_attended >= 0),
    summary                TEXT    NULL,
    strengths              TEXT    NULL,
    weaknesses             TEXT    NULL,
    recommendations        TEXT    NOT NULL DEFAULT '[]',   -- JSON array of strings
    overall_rating         INTEGER NULL CHECK (overall_rating IS NULL OR overall_rating BETWEEN 1 AND 5),
    state                  TEXT    NOT NULL DEFAULT 'draft' CHECK (state IN ('draft','submitted','accepted')),
    return_comment         TEXT    NULL,
    submitted_at           TEXT    NULL,
    submitted_by           INTEGER NULL REFERENCES users (id),
    accepted_at            TEXT    NULL,
    accepted_by            INTEGER NULL REFERENCES users (id),
    updated_at             TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
    version                INTEGER NOT NULL DEFAULT 1
);

-- Audit ---------------------------------------------------------------------------------------

CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    at         TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
    user_id    INTEGER NULL REFERENCES users (id),
    action     TEXT    NOT NULL,         -- e.g. 'course.create', 'enrolment.withdraw'
    entity     TEXT    NOT NULL,         -- table-level name: 'course', 'enrolment', ...
    entity_id  INTEGER NULL,
    details    TEXT    NULL              -- JSON, never personal contact data
);
CREATE INDEX ix_audit_log_entity ON audit_log (entity, entity_id);

-- Audit log: who changed what, and when, for every write.
-- Triggers write the audit row inside the same transaction as the change, whatever route made it,
-- so no write can be committed without its audit row and no handler can forget one. The actor and
-- the request come from functions the API registers on each connection (Database.Open):
-- je_actor() is the caller's user id (NULL for anonymous evaluation and for start-up tasks),
-- je_request() is 'METHOD /path'. No personal data (names, e-mails, answers) enters the log.
-- Writes made outside the API (a sqlite3 shell) must define both functions or they are refused.
-- Answers (evaluation_answers), form questions and Idempotency-Key rows are not audited: they are
-- written only together with an audited parent row (response, form) or are transport bookkeeping.

ALTER TABLE audit_log ADD COLUMN request TEXT NULL;
CREATE INDEX ix_audit_log_at ON audit_log (at);
CREATE INDEX ix_audit_log_user ON audit_log (user_id);

CREATE TRIGGER audit_users_insert AFTER INSERT ON users
BEGIN
    INSERT INTO audit_log (user_id, action, entity, entity_id, details, request)
    VALUES (je_actor(), 'user.insert', 'user', NEW.id, json_object('role', NEW.role, 'countryCode', NEW.country_code, 'deleted', NEW.deleted_at IS NOT NULL), je_request());
END;

CREATE TRIGGER audit_users_update AFTER UPDATE ON users
BEGIN
    INSERT INTO audit_log (user_id, action, entity, entity_id, details, request)
    VALUES (je_actor(), 'user.update', 'user', NEW.id, json_object('role', NEW.role, 'countryCode', NEW.country_code, 'deleted', NEW.deleted_at IS NOT NULL), je_request());
END;

CREATE TRIGGER audit_users_delete AFTER DELETE ON users
BEGIN
    INSERT INTO audit_log (user_id, action, entity, entity_id, details, request)
    VALUES (je_actor(), 'user.delete', 'user', OLD.id, json_object('role', OLD.role, 'countryCode', OLD.country_code, 'deleted', OLD.deleted_at IS NOT NULL), je_request());
END;

CREATE TRIGGER audit_api_tokens_insert AFTER INSERT ON api_tokens
BEGIN
    INSERT INTO audit_log (user_id, action, entity, entity_id, details, request)
    VALUES (je_actor(), 'token.insert', 'token', NEW.id, json_object('userId', NEW.user_id, 'revoked', NEW.revoked_at IS NOT NULL), je_request());
END;

CREATE TRIGGER audit_api_tokens_update AFTER UPDATE ON api_tokens
BEGIN
    INSERT INTO audit_log (user_id, action, entity, entity_id, details, request)
    VALUES (je_actor(), 'token.update', 'token', NEW.id, json_object('userId', NEW.user_id, 'revoked', NEW.revoked_at IS NOT NULL), je_request());
END;

CREATE TRIGGER audit_api_tokens_delete AFTER DELETE ON api_tokens
BEGIN
    INSERT INTO audit_log (user_id, action, entity, entity_id, details, request)
    VALUES (je_actor(), 'token.delete', 'token', OLD.id, json_object('userId', OLD.user_id, 'revoked', OLD.revoked_at IS NOT NULL), je_request());
END;

CREATE TRIGGER audit_projects_insert AFTER INSERT ON projects
BEGIN
    INSERT INTO audit_log (user_id, action, entity, entity_id, details, request)
    VALUES (je_actor(), 'project.insert', 'project', NEW.id, json_object('code', NEW.code), je_request());
END;

CREATE TRIGGER audit_projects_update AFTER UPDATE ON projects
BEGIN
    INSERT INTO audit_log (user_id, action, entity, entity_id, details, request)
    VALUES (je_actor(), 'project.update', 'project', NEW.id, json_object('code', NEW.code), je_request());
END;

CREATE TRIGGER audit_projects_delete AFTER DELETE ON projects
BEGIN
    INSERT INTO audit_log (user_id, action, entity, entity_id, details, request)
    VALUES (je_actor(), 'project.delete', 'project', OLD.id, json_object('code', OLD.code), je_request());
END;

CREATE TRIGGER audit_phases_insert AFTER INSERT ON phases
BEGIN
    INSERT INTO audit_log (user_id, action, entity, entity_id, details, request)
    VALUES (je_actor(), 'phase.insert', 'phase', NEW.id, json_object('projectId', NEW.project_id, 'status', NEW.status), je_request());
END;

CREATE TRIGGER audit_phases_update AFTER UPDATE ON phases
BEGIN
    INSERT INTO audit_log (user_id, action, entity, entity_id, details, request)
    VALUES (je_actor(), 'phase.update', 'phase', NEW.id, json_object('projectId', NEW.project_id, 'status', NEW.status), je_request());
END;

CREATE TRIGGER audit_phases_delete AFTER DELETE ON phases
BEGIN
    INSERT INTO audit_log (user_id, action, entity, entity_id, details, request)
    VALUES (je_actor(), 'phase.delete', 'phase', OLD.id, json_object('projectId', OLD.project_id, 'status', OLD.status), je_request());
END;

CREATE TRIGGER audit_milestones_insert AFTER INSERT ON milestones
BEGIN
    INSERT INTO audit_log (user_id, action, entity, entity_id, details, request)
    VALUES (je_actor(), 'milestone.insert', 'milestone', NEW.id, json_object('phaseId', NEW.phase_id, 'completedOn', NEW.completed_on), je_request());
END;

CREATE TRIGGER audit_milestones_update AFTER UPDATE ON milestones
BEGIN
    INSERT INTO audit_log (user_id, action, entity, entity_id, details, request)
    VALUES (je_actor(), 'milestone.update', 'milestone', NEW.id, json_object('phaseId', NEW.phase_id, 'completedOn', NEW.completed_on), je_request());
END;

CREATE TRIGGER audit_milestones_delete AFTER DELETE ON milestones
BEGIN
    INSERT INTO audit_log (user_id, action, entity, entity_id, details, request)
    VALUES (je_actor(), 'milestone.delete', 'milestone', OLD.id, json_object('phaseId', OLD.phase_id, 'completedOn', OLD.completed_on), je_request());
END;

CREATE TRIGGER audit_meetings_insert AFTER INSERT ON meetings
BEGIN
    INSERT INTO audit_log (user_id, action, entity, entity_id, details, request)
    VALUES (je_actor(), 'meeting.insert', 'meeting', NEW.id, json_object('projectId', NEW.project_id, 'kind', NEW.kind), je_request());
END;

CREATE TRIGGER audit_meetings_update AFTER UPDATE ON meetings
BEGIN
    INSERT INTO audit_log (user_id, action, entity, entity_id, details, request)
    VALUES (je_actor(), 'meeting.update', 'meeting', NEW.id, json_object('projectId', NEW.project_id, 'kind', NEW.kind), je_request());
END;

CREATE TRIGGER audit_meetings_delete AFTER DELETE ON meetings
BEGIN
    INSERT INTO audit_log (user_id, action, entity, entity_id, details, request)
    VALUES (je_actor(), 'meeting.delete', 'meeting', OLD.id, json_object('projectId', OLD.project_id, 'kind', OLD.kind), je_request());
END;

CREATE TRIGGER audit_meeting_attendees_insert AFTER INSERT ON meeting_attendees
BEGIN
    INSERT INTO audit_log (user_id, action, entity, entity_id, details, request)
    VALUES (je_actor(), 'meetingAttendee.insert', 'meetingAttendee', NEW.id, json_object('meetingId', NEW.meeting_id), je_request());
END;

CREATE TRIGGER audit_meeting_attendees_update AFTER UPDATE ON meeting_attendees
BEGIN
    INSERT INTO audit_log (user_id, action, entity, entity_id, details, request)
    VALUES (je_actor(), 'meetingAttendee.update', 'meetingAttendee', NEW.id, json_object('meetingId', NEW.meeting_id), je_request());
END;

CREATE TRIGGER audit_meeting_attendees_delete AFTER DELETE ON meeting_attendees
BEGIN
    INSERT INTO audit_log (user_id, action, entity, entity_id, details, request)
    VALUES (je_actor(), 'meetingAttendee.delete', 'meetingAttendee', OLD.id, json_object('meetingId', OLD.meeting_id), je_request());
END;

CREATE TRIGGER audit_recommendations_insert AFTER INSERT ON recommendations
BEGIN
    INSERT INTO audit_log (user_id, action, entity, entity_id, details, request)
    VALUES (je_actor(), 'recommendation.insert', 'recommendation', NEW.id, json_object('meetingId', NEW.meeting_id, 'status', NEW.status), je_request());
END;

CREATE TRIGGER audit_recommendations_update AFTER UPDATE ON recommendations
BEGIN
    INSERT INTO audit_log (user_id, action, entity, entity_id, details, request)
    VALUES (je_actor(), 'recommendation.update', 'recommendation', NEW.id, json_object('meetingId', NEW.meeting_id, 'status', NEW.status), je_request());
END;

CREATE TRIGGER audit_recommendations_delete AFTER DELETE ON recommendations
BEGIN
    INSERT INTO audit_log (user_id, action, entity, entity_id, details, request)
    VALUES (je_actor(), 'recommendation.delete', 'recommendation', OLD.id, json_object('meetingId', OLD.meeting_id, 'status', OLD.status), je_request());
END;

CREATE TRIGGER audit_evaluation_forms_insert AFTER INSERT ON evaluation_forms
BEGIN
    INSERT INTO audit_log (user_id, action, entity, entity_id, details, request)
    VALUES (je_actor(), 'evaluationForm.insert', 'evaluationForm', NEW.id, json_object('purpose', NEW.purpose), je_request());
END;

CREATE TRIGGER audit_evaluation_forms_update AFTER UPDATE ON evaluation_forms
BEGIN
    INSERT INTO audit_log (user_id, action, entity, entity_id, details, request)
    VALUES (je_actor(), 'evaluationForm.update', 'evaluationForm', NEW.id, json_object('purpose', NEW.purpose), je_request());
END;

CREATE TRIGGER audit_evaluation_forms_delete AFTER DELETE ON evaluation_forms
BEGIN
    INSERT INTO audit_log (user_id, action, entity, entity_id, details, request)
    VALUES (je_actor(), 'evaluationForm.delete', 'evaluationForm', OLD.id, json_object('purpose', OLD.purpose), je_request());
END;

CREATE TRIGGER audit_courses_insert AFTER INSERT ON courses
BEGIN
    INSERT INTO audit_log (user_id, action, entity, entity_id, details, request)
    VALUES (je_actor(), 'course.insert', 'course', NEW.id, json_object('projectId', NEW.project_id, 'countryCode', NEW.country_code, 'status', NEW.status), je_request());
END;

CREATE TRIGGER audit_courses_update AFTER UPDATE ON courses
BEGIN
    INSERT INTO audit_log (user_id, action, entity, entity_id, details, request)
    VALUES (je_actor(), 'course.update', 'course', NEW.id, json_object('projectId', NEW.project_id, 'countryCode', NEW.country_code, 'status', NEW.status), je_request());
END;

CREATE TRIGGER audit_courses_delete AFTER DELETE ON courses
BEGIN
    INSERT INTO audit_log (user_id, action, entity, entity_id, details, request)
    VALUES (je_actor(), 'course.delete', 'course', OLD.id, json_object('projectId', OLD.project_id, 'countryCode', OLD.country_code, 'status', OLD.status), je_request());
END;

CREATE TRIGGER audit_course_sessions_insert AFTER INSERT ON course_sessions
BEGIN
    INSERT INTO audit_log (user_id, action, entity, entity_id, details, request)
    VALUES (je_actor(), 'courseSession.insert', 'courseSession', NEW.id, json_object('courseId', NEW.course_id), je_request());
END;

CREATE TRIGGER audit_course_sessions_update AFTER UPDATE ON course_sessions
BEGIN
    INSERT INTO audit_log (user_id, action, entity, entity_id, details, request)
    VALUES (je_actor(), 'courseSession.update', 'courseSession', NEW.id, json_object('courseId', NEW.course_id), je_request());
END;

CREATE TRIGGER audit_course_sessions_delete AFTER DELETE ON course_sessions
BEGIN
    INSERT INTO audit_log (user_id, action, entity, entity_id, details, request)
    VALUES (je_actor(), 'courseSession.delete', 'courseSession', OLD.id, json_object('courseId', OLD.course_id), je_request());
END;

CREATE TRIGGER audit_participants_insert AFTER INSERT ON participants
BEGIN
    INSERT INTO audit_log (user_id, action, entity, entity_id, details, request)
    VALUES (je_actor(), 'participant.insert', 'participant', NEW.id, json_object('erased', NEW.erased_at IS NOT NULL), je_request());
END;

CREATE TRIGGER audit_participants_update AFTER UPDATE ON participants
BEGIN
    INSERT INTO audit_log (user_id, action, entity, entity_id, details, request)
    VALUES (je_actor(), 'participant.update', 'participant', NEW.id, json_object('erased', NEW.erased_at IS NOT NULL), je_request());
END;

CREATE TRIGGER audit_participants_delete AFTER DELETE ON participants
BEGIN
    INSERT INTO audit_log (user_id, action, entity, entity_id, details, request)
    VALUES (je_actor(), 'participant.delete', 'participant', OLD.id, json_object('erased', OLD.erased_at IS NOT NULL), je_request());
END;

CREATE TRIGGER audit_enrolments_insert AFTER INSERT ON enrolments
BEGIN
    INSERT INTO audit_log (user_id, action, entity, entity_id, details, request)
    VALUES (je_actor(), 'enrolment.insert', 'enrolment', NEW.id, json_object('courseId', NEW.course_id, 'participantId', NEW.participant_id, 'status', NEW.status), je_request());
END;

CREATE TRIGGER audit_enrolments_update AFTER UPDATE ON enrolments
BEGIN
    INSERT INTO audit_log (user_id, action, entity, entity_id, details, request)
    VALUES (je_actor(), 'enrolment.update', 'enrolment', NEW.id, json_object('courseId', NEW.course_id, 'participantId', NEW.participant_id, 'status', NEW.status), je_request());
END;

CREATE TRIGGER audit_enrolments_delete AFTER DELETE ON enrolments
BEGIN
    INSERT INTO audit_log (user_id, action, entity, entity_id, details, request)
    VALUES (je_actor(), 'enrolment.delete', 'enrolment', OLD.id, json_object('courseId', OLD.course_id, 'participantId', OLD.participant_id, 'status', OLD.status), je_request());
END;

CREATE TRIGGER audit_attendance_insert AFTER INSERT ON attendance
BEGIN
    INSERT INTO audit_log (user_id, action, entity, entity_id, details, request)
    VALUES (je_actor(), 'attendance.insert', 'attendance', NEW.session_id, json_object('participantId', NEW.participant_id, 'status', NEW.status), je_request());
END;

CREATE TRIGGER audit_attendance_update AFTER UPDATE ON attendance
BEGIN
    INSERT INTO audit_log (user_id, action, entity, entity_id, details, request)
    VALUES (je_actor(), 'attendance.update', 'attendance', NEW.session_id, json_object('participantId', NEW.participant_id, 'status', NEW.status), je_request());
END;

CREATE TRIGGER audit_attendance_delete AFTER DELETE ON attendance
BEGIN
    INSERT INTO audit_log (user_id, action, entity, entity_id, details, request)
    VALUES (je_actor(), 'attendance.delete', 'attendance', OLD.session_id, json_object('participantId', OLD.participant_id, 'status', OLD.status), je_request());
END;

CREATE TRIGGER audit_evaluation_codes_insert AFTER INSERT ON evaluation_codes
BEGIN
    INSERT INTO audit_log (user_id, action, entity, entity_id, details, request)
    VALUES (je_actor(), 'evaluationCode.insert', 'evaluationCode', NEW.id, json_object('courseId', NEW.course_id), je_request());
END;

CREATE TRIGGER audit_evaluation_codes_update AFTER UPDATE ON evaluation_codes
BEGIN
    INSERT INTO audit_log (user_id, action, entity, entity_id, details, request)
    VALUES (je_actor(), 'evaluationCode.update', 'evaluationCode', NEW.id, json_object('courseId', NEW.course_id), je_request());
END;

CREATE TRIGGER audit_evaluation_codes_delete AFTER DELETE ON evaluation_codes
BEGIN
    INSERT INTO audit_log (user_id, action, entity, entity_id, details, request)
    VALUES (je_actor(), 'evaluationCode.delete', 'evaluationCode', OLD.id, json_object('courseId', OLD.course_id), je_request());
END;

CREATE TRIGGER audit_evaluation_responses_insert AFTER INSERT ON evaluation_responses
BEGIN
    INSERT INTO audit_log (user_id, action, entity, entity_id, details, request)
    VALUES (je_actor(), 'evaluationResponse.insert', 'evaluationResponse', NEW.id, json_object('courseId', NEW.course_id, 'purpose', NEW.purpose, 'source', NEW.source), je_request());
END;

CREATE TRIGGER audit_evaluation_responses_update AFTER UPDATE ON evaluation_responses
BEGIN
    INSERT INTO audit_log (user_id, action, entity, entity_id, details, request)
    VALUES (je_actor(), 'evaluationResponse.update', 'evaluationResponse', NEW.id, json_object('courseId', NEW.course_id, 'purpose', NEW.purpose, 'source', NEW.source), je_request());
END;

CREATE TRIGGER audit_evaluation_responses_delete AFTER DELETE ON evaluation_responses
BEGIN
    INSERT INTO audit_log (user_id, action, entity, entity_id, details, request)
    VALUES (je_actor(), 'evaluationResponse.delete', 'evaluationResponse', OLD.id, json_object('courseId', OLD.course_id, 'purpose', OLD.purpose, 'source', OLD.source), je_request());
END;

CREATE TRIGGER audit_evaluation_reports_insert AFTER INSERT ON evaluation_reports
BEGIN
    INSERT INTO audit_log (user_id, action, entity, entity_id, details, request)
    VALUES (je_actor(), 'evaluationReport.insert', 'evaluationReport', NEW.course_id, json_object('state', NEW.state), je_request());
END;

CREATE TRIGGER audit_evaluation_reports_update AFTER UPDATE ON evaluation_reports
BEGIN
    INSERT INTO audit_log (user_id, action, entity, entity_id, details, request)
    VALUES (je_actor(), 'evaluationReport.update', 'evaluationReport', NEW.course_id, json_object('state', NEW.state), je_request());
END;

CREATE TRIGGER audit_evaluation_reports_delete AFTER DELETE ON evaluation_reports
BEGIN
    INSERT INTO audit_log (user_id, action, entity, entity_id, details, request)
    VALUES (je_actor(), 'evaluationReport.delete', 'evaluationReport', OLD.course_id, json_object('state', OLD.state), je_request());
END;

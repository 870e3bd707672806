-- Reports (issue 6): indexes that let the dashboard and the workbooks read aggregates from index
-- entries alone. A programme of 500 courses x 40 participants holds 100,000 attendance rows and
-- 600,000 answers; without these every figure also fetches the table row behind each index entry.

-- "Trained": per live enrolment, the sessions attended present or late. Only those rows; status is in
-- the key as well, because SQLite does not count a partial index as covering a column it filters on.
CREATE INDEX ix_attendance_attended ON attendance (session_id, participant_id, status) WHERE status IN ('present', 'late');

-- "meanOverall": the one answer per reaction response that it averages.
CREATE INDEX ix_evaluation_answers_overall ON evaluation_answers (response_id, number_value) WHERE question_key = 'overall';

-- Responses per course and purpose, with what the means and the pre/post pairing read.
CREATE INDEX ix_evaluation_responses_course_cover ON evaluation_responses (course_id, purpose, form_id, code_id, score);
CREATE INDEX ix_evaluation_responses_code_cover ON evaluation_responses (code_id, purpose, course_id, score) WHERE code_id IS NOT NULL;

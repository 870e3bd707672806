-- The workspace's course page (issue 24): a session has a start and end time and a trainer, all optional. Times are
-- 'HH:MM' text (24-hour clock, local to the course's venue), as the API writes them.
ALTER TABLE course_sessions ADD COLUMN start_time TEXT NULL;
ALTER TABLE course_sessions ADD COLUMN end_time TEXT NULL;
ALTER TABLE course_sessions ADD COLUMN trainer TEXT NULL;

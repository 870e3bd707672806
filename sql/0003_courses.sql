-- Pilot courses: an enrolment is a single object with an ETag, so a withdrawal can honour If-Match
-- (a promotion from the waitlist bumps it too).
ALTER TABLE enrolments ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

-- The participant search (?q=) and import matching compare names case-insensitively.
CREATE INDEX ix_participants_name ON participants (full_name COLLATE NOCASE);

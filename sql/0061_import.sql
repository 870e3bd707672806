-- Spreadsheets as they come (issue 26): a participant's seniority may be unknown (lists often have no such column),
-- and the column mapping a coordinator chose for headers the import did not recognise is remembered per programme.

-- Widen the CHECK on participants.seniority in place. A CHECK cannot be altered, and rebuilding the table would drop
-- and recreate every trigger and foreign key that names it; loosening a CHECK changes nothing stored, which is the
-- case SQLite documents for editing the schema text (writable_schema). RESET makes this connection read the new
-- text; the table created and dropped after it bumps the schema cookie, so every other connection reads it too.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
SET sql = replace(sql, 'CHECK (seniority IN (''senior'',''field''))', 'CHECK (seniority IN (''senior'',''field'',''unknown''))')
WHERE type = 'table' AND name = 'participants';
PRAGMA writable_schema = RESET;
CREATE TABLE schema_cookie_bump (x INTEGER);
DROP TABLE schema_cookie_bump;

CREATE TABLE import_mappings (
    project_id  INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    header      TEXT    NOT NULL,   -- the header as compared: letters only, lower case, no diacritics
    field       TEXT    NOT NULL CHECK (field IN ('fullName','firstName','lastName','email','organisation','sector','countryCode','seniority','jobTitle','ignore')),
    updated_at  TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
    PRIMARY KEY (project_id, header)
);

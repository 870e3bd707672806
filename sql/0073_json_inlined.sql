-- The SQLite twin of sql/postgres/0073_json_inlined.sql, which makes PostgreSQL's je_json() inlinable. SQLite has
-- json_object() built in and nothing to change; the file keeps both folders' numbers the same.
SELECT 1;

-- The SQLite twin of sql/postgres/0075_changed_notifications.sql, which makes every PostgreSQL table notify je_changed.
-- One SQLite file has one API process, whose ReadCache sees every commit through PRAGMA data_version; nothing to
-- change here. The file keeps both folders' numbers the same.
SELECT 1;

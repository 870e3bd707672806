-- The SQLite twin of sql/postgres/0074_scrub_locks_first.sql (PostgreSQL's je_scrub_anonymous() takes all its locks
-- first). SQLite's at-rest scrub is AtRestScrubber's VACUUM; nothing to change. The file keeps both folders' numbers the same.
SELECT 1;

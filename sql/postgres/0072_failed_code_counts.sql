-- The PostgreSQL twin of sql/0072_failed_code_counts.sql: failed code look-ups counted in the database (issue 27), so
-- that the limits of FailedCodeLimiter (30 an hour per address and slip prefix, 300 per address) hold across API
-- instances sharing one database. One row per bucket and 5-minute window; the hour is the last twelve windows, older
-- rows are deleted. A bucket is the SHA-256 hash (hex) of the address, or of the address and the prefix.
CREATE TABLE failed_code_counts (
    bucket        text    NOT NULL CHECK (length(bucket) = 64),
    window_start  text    NOT NULL CHECK (window_start ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:00\.000Z$'),
    failures      integer NOT NULL CHECK (failures > 0),
    PRIMARY KEY (bucket, window_start)
);
CREATE INDEX ix_failed_code_counts_window ON failed_code_counts (window_start);

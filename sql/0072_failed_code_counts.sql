-- Failed code look-ups counted in the database (issue 27), so that the limits of FailedCodeLimiter (30 an hour per
-- address and slip prefix, 300 per address) hold across API instances sharing one database. One row per bucket and
-- 5-minute window; the hour is the last twelve windows, older rows are deleted. A bucket is the SHA-256 hash (hex) of the
-- address, or of the address and the prefix: no address, code or prefix is kept in the clear.
CREATE TABLE failed_code_counts (
    bucket        TEXT    NOT NULL CHECK (length(bucket) = 64),
    window_start  TEXT    NOT NULL CHECK (window_start GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:00.000Z'),
    failures      INTEGER NOT NULL CHECK (failures > 0),
    PRIMARY KEY (bucket, window_start)
);
CREATE INDEX ix_failed_code_counts_window ON failed_code_counts (window_start);

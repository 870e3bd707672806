-- Failed code look-ups counted in the database (issue 27): the twin of sql/0072_failed_code_counts.sql, so that the limits
-- of FailedCodeLimiter (30 an hour per address and slip prefix, 300 per address) hold across API instances. One row per
-- bucket (the SHA-256 hex of the address, or of the address and prefix) and 5-minute window; older rows are deleted.
CREATE TABLE failed_code_counts (
    bucket        text         NOT NULL CHECK (length(bucket) = 64),
    window_start  je_timestamp NOT NULL CHECK (window_start ~ ':00\.000Z$'),
    failures      integer      NOT NULL CHECK (failures > 0),
    PRIMARY KEY (bucket, window_start)
);
CREATE INDEX ix_failed_code_counts_window ON failed_code_counts (window_start);

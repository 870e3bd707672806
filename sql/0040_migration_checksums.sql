-- Migrations are kept honest (issue 22): each applied file is recorded with its checksum, and the runner refuses to
-- start when an applied file has changed since, or when a file not yet applied sorts before the newest applied one
-- (it would run out of order on existing databases). Rows applied before this file get their checksum from the
-- runner on the first start that has this column (Infrastructure/Migrations.cs).
ALTER TABLE schema_migrations ADD COLUMN checksum TEXT;

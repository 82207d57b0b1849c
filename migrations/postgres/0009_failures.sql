-- Readiness: `/readyz` writes and commits this one row, so a database that cannot take a
-- write (a full disk, a read-only standby) is reported as not ready. It holds nothing else.
CREATE TABLE health_probe (
    id          BIGINT  NOT NULL PRIMARY KEY,
    checked_at  BIGINT  NOT NULL
);

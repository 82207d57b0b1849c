-- no-transaction
-- CHECK constraints on the text columns that hold enums, so a value this binary does not write
-- is refused where it is written, not found later by whoever reads it. The values are exactly
-- what the code writes (src/store/jobs.rs, domain::org::BranchKind, store::meetings::Rsvp,
-- domain::pledges::{PledgeStatus, Way, Progress}); a row holding anything else makes this
-- migration fail, naming the constraint, rather than be copied.
--
-- SQLite cannot add a CHECK to a table in place: each table is rebuilt the documented way
-- (https://www.sqlite.org/lang_altertable.html#otheralter): with foreign keys off, create the
-- new table, copy the rows, drop the old one, rename the new one, recreate its indexes, check
-- the foreign keys, commit. Foreign keys cannot be switched off inside a transaction, so this
-- migration opens its own (hence `no-transaction` above). Columns keep their order, ids their
-- values. No table here has a trigger or a view over it.

PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;

CREATE TABLE jobs_new (
    id           INTEGER PRIMARY KEY,
    kind         TEXT    NOT NULL,
    dedupe_key   TEXT    NOT NULL,
    payload      TEXT    NOT NULL,
    schedule     TEXT    NOT NULL,
    cron_expr    TEXT,
    cron_tz      TEXT,
    anchor_key   TEXT,
    anchor_at    BIGINT,
    offset_ms    BIGINT,
    due_at       BIGINT  NOT NULL,
    next_run_at  BIGINT  NOT NULL,
    grace_ms     BIGINT  NOT NULL,
    status       TEXT    NOT NULL DEFAULT 'scheduled',
    attempts     BIGINT  NOT NULL DEFAULT 0,
    lease_until  BIGINT,
    lease_token  TEXT,
    last_run_at  BIGINT,
    last_outcome TEXT,
    last_note    TEXT,
    last_error   TEXT,
    runs         BIGINT  NOT NULL DEFAULT 0,
    misses       BIGINT  NOT NULL DEFAULT 0,
    created_at   BIGINT  NOT NULL,
    updated_at   BIGINT  NOT NULL,
    CONSTRAINT jobs_dedupe_key UNIQUE (dedupe_key),
    CONSTRAINT jobs_schedule_check CHECK (schedule IN ('once', 'cron', 'relative')),
    CONSTRAINT jobs_status_check
        CHECK (status IN ('scheduled', 'running', 'done', 'missed', 'failed', 'cancelled')),
    CONSTRAINT jobs_last_outcome_check
        CHECK (last_outcome IN ('done', 'missed', 'failed', 'skipped'))
);
INSERT INTO jobs_new (id, kind, dedupe_key, payload, schedule, cron_expr, cron_tz, anchor_key,
    anchor_at, offset_ms, due_at, next_run_at, grace_ms, status, attempts, lease_until,
    lease_token, last_run_at, last_outcome, last_note, last_error, runs, misses, created_at,
    updated_at)
SELECT id, kind, dedupe_key, payload, schedule, cron_expr, cron_tz, anchor_key,
    anchor_at, offset_ms, due_at, next_run_at, grace_ms, status, attempts, lease_until,
    lease_token, last_run_at, last_outcome, last_note, last_error, runs, misses, created_at,
    updated_at
FROM jobs;
DROP TABLE jobs;
ALTER TABLE jobs_new RENAME TO jobs;
CREATE INDEX jobs_due_idx ON jobs (status, next_run_at);
CREATE INDEX jobs_anchor_idx ON jobs (anchor_key);

CREATE TABLE branches_new (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL,
    kind        TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL,
    CONSTRAINT branches_name_key UNIQUE (name),
    CONSTRAINT branches_kind_check CHECK (kind IN ('teacher', 'student'))
);
INSERT INTO branches_new (id, name, kind, created_at)
SELECT id, name, kind, created_at FROM branches;
DROP TABLE branches;
ALTER TABLE branches_new RENAME TO branches;

CREATE TABLE meeting_attendees_new (
    meeting_id  BIGINT  NOT NULL REFERENCES meetings (id),
    member_id   BIGINT  NOT NULL REFERENCES members (id),
    rsvp        TEXT    NOT NULL DEFAULT 'none',
    reason      TEXT,
    answered_at BIGINT,
    leave_proxy BIGINT  NOT NULL DEFAULT 0,
    leave_by    BIGINT,
    CONSTRAINT meeting_attendees_pkey PRIMARY KEY (meeting_id, member_id),
    CONSTRAINT meeting_attendees_rsvp_check CHECK (rsvp IN ('none', 'attend', 'leave'))
);
INSERT INTO meeting_attendees_new (meeting_id, member_id, rsvp, reason, answered_at,
    leave_proxy, leave_by)
SELECT meeting_id, member_id, rsvp, reason, answered_at, leave_proxy, leave_by
FROM meeting_attendees;
DROP TABLE meeting_attendees;
ALTER TABLE meeting_attendees_new RENAME TO meeting_attendees;
CREATE INDEX meeting_attendees_member_idx ON meeting_attendees (member_id);

CREATE TABLE pledges_new (
    id               INTEGER PRIMARY KEY,
    member_id        BIGINT  NOT NULL REFERENCES members (id),
    status           TEXT    NOT NULL,
    current_version  BIGINT,
    approved_version BIGINT,
    created_at       BIGINT  NOT NULL,
    updated_at       BIGINT  NOT NULL,
    CONSTRAINT pledges_member_key UNIQUE (member_id),
    CONSTRAINT pledges_status_check CHECK (status IN ('submitted', 'returned', 'approved'))
);
INSERT INTO pledges_new (id, member_id, status, current_version, approved_version, created_at,
    updated_at)
SELECT id, member_id, status, current_version, approved_version, created_at, updated_at
FROM pledges;
DROP TABLE pledges;
ALTER TABLE pledges_new RENAME TO pledges;

CREATE TABLE pledge_items_new (
    id          INTEGER PRIMARY KEY,
    version_id  BIGINT  NOT NULL REFERENCES pledge_versions (id),
    position    BIGINT  NOT NULL,
    way         TEXT    NOT NULL,
    text        TEXT    NOT NULL,
    target_date TEXT,
    CONSTRAINT pledge_items_position_key UNIQUE (version_id, position),
    CONSTRAINT pledge_items_way_check
        CHECK (way IN ('study', 'results', 'serve', 'discipline', 'integrity'))
);
INSERT INTO pledge_items_new (id, version_id, position, way, text, target_date)
SELECT id, version_id, position, way, text, target_date FROM pledge_items;
DROP TABLE pledge_items;
ALTER TABLE pledge_items_new RENAME TO pledge_items;

CREATE TABLE pledge_answers_new (
    round_id    BIGINT  NOT NULL REFERENCES pledge_rounds (id),
    item_id     BIGINT  NOT NULL REFERENCES pledge_items (id),
    member_id   BIGINT  NOT NULL REFERENCES members (id),
    progress    TEXT    NOT NULL,
    note        TEXT,
    answered_at BIGINT  NOT NULL,
    CONSTRAINT pledge_answers_pkey PRIMARY KEY (round_id, item_id),
    CONSTRAINT pledge_answers_progress_check
        CHECK (progress IN ('done', 'on_track', 'behind', 'blocked'))
);
INSERT INTO pledge_answers_new (round_id, item_id, member_id, progress, note, answered_at)
SELECT round_id, item_id, member_id, progress, note, answered_at FROM pledge_answers;
DROP TABLE pledge_answers;
ALTER TABLE pledge_answers_new RENAME TO pledge_answers;

-- Every reference still finds its row: a rebuild that lost one fails here (the CHECK refuses
-- a count above zero) and the transaction is never committed.
CREATE TEMP TABLE rebuild_fk_check (violations BIGINT NOT NULL CHECK (violations = 0));
INSERT INTO rebuild_fk_check SELECT COUNT(*) FROM pragma_foreign_key_check;
DROP TABLE rebuild_fk_check;

COMMIT;
PRAGMA foreign_keys = ON;

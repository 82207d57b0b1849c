-- Scheduled jobs: one-off (at an instant), recurring (a five-field crontab read in a time
-- zone) or relative to an event (an anchor instant plus an offset, moved with the event).
-- A replica claims a due row by setting a lease (lease_until, lease_token); only the holder of
-- the current token may record the outcome. Instants are Unix milliseconds (UTC).

CREATE TABLE jobs (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind         TEXT    NOT NULL,             -- a name in the scheduler's registry
    dedupe_key   TEXT    NOT NULL,             -- scheduling the same thing twice is a no-op
    payload      TEXT    NOT NULL,             -- JSON, read by the kind
    schedule     TEXT    NOT NULL,             -- 'once' | 'cron' | 'relative'
    cron_expr    TEXT,                         -- schedule = 'cron'
    cron_tz      TEXT,                         -- schedule = 'cron': IANA zone the expression is read in
    anchor_key   TEXT,                         -- schedule = 'relative': the event, e.g. 'meeting:42'
    anchor_at    BIGINT,                       -- schedule = 'relative': when the event happens
    offset_ms    BIGINT,                       -- schedule = 'relative': run at anchor_at + offset_ms
    due_at       BIGINT  NOT NULL,             -- the occurrence being worked on
    next_run_at  BIGINT  NOT NULL,             -- when to (re)try it: due_at, or later after a failure
    grace_ms     BIGINT  NOT NULL,             -- later than due_at + grace_ms it is missed, not run
    status       TEXT    NOT NULL DEFAULT 'scheduled', -- scheduled | running | done | missed | failed | cancelled
    attempts     BIGINT  NOT NULL DEFAULT 0,   -- attempts at the current occurrence
    lease_until  BIGINT,
    lease_token  TEXT,
    last_run_at  BIGINT,                       -- when the last occurrence finished (ran or was missed)
    last_outcome TEXT,                         -- done | missed | failed
    last_note    TEXT,                         -- what the last run did, in a few words
    last_error   TEXT,
    runs         BIGINT  NOT NULL DEFAULT 0,   -- occurrences run
    misses       BIGINT  NOT NULL DEFAULT 0,   -- occurrences not run: too late, or passed over catching up
    created_at   BIGINT  NOT NULL,
    updated_at   BIGINT  NOT NULL,
    CONSTRAINT jobs_dedupe_key UNIQUE (dedupe_key)
);
CREATE INDEX jobs_due_idx ON jobs (status, next_run_at);
CREATE INDEX jobs_anchor_idx ON jobs (anchor_key);

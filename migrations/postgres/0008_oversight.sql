-- Oversight: the audit log of administrative actions, spot checks (随机抽查) and the web
-- dashboard's one-time login links and sessions.

-- One administrative action: who (a member, or the operator at the command line), through
-- what (telegram | sms | console | cli | web), what (`import`, `notice_sent`, …), on what.
CREATE TABLE audit_log (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at              BIGINT  NOT NULL,
    actor_id        BIGINT  REFERENCES members (id),     -- NULL: the operator at the command line
    actor           TEXT    NOT NULL,                    -- the name as it was then, or the OS user
    via             TEXT    NOT NULL,
    action          TEXT    NOT NULL,
    subject         TEXT    NOT NULL,                    -- e.g. `notice:12`, `branch:3`, a file name
    detail          TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at_idx ON audit_log (at);
CREATE INDEX audit_log_action_idx ON audit_log (action, at);

-- A spot check: the record a committee member was shown at random, and their finding.
CREATE TABLE spot_checks (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    checker_id      BIGINT  NOT NULL REFERENCES members (id),
    branch_id       BIGINT  NOT NULL REFERENCES branches (id),
    subject_kind    TEXT    NOT NULL,                    -- meeting | pledge
    subject_id      BIGINT  NOT NULL,                    -- the meeting's id, or the pledge owner's member id
    started_at      BIGINT  NOT NULL,
    finding         TEXT,                                -- NULL until the checker writes it
    found_at        BIGINT
);
CREATE INDEX spot_checks_branch_idx ON spot_checks (branch_id, started_at);

-- A one-time dashboard login link, stored only as a hash.
CREATE TABLE dashboard_links (
    token_hash      TEXT    NOT NULL PRIMARY KEY,
    member_id       BIGINT  NOT NULL REFERENCES members (id),
    created_at      BIGINT  NOT NULL,
    expires_at      BIGINT  NOT NULL,
    used_at         BIGINT
);

-- A dashboard session (the cookie's value, stored only as a hash).
CREATE TABLE dashboard_sessions (
    token_hash      TEXT    NOT NULL PRIMARY KEY,
    member_id       BIGINT  NOT NULL REFERENCES members (id),
    created_at      BIGINT  NOT NULL,
    expires_at      BIGINT  NOT NULL
);
CREATE INDEX dashboard_sessions_expires_idx ON dashboard_sessions (expires_at);

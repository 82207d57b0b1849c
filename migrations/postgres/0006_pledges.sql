-- Pledges (党员承诺): one pledge per member, every written version kept with its items, the
-- secretary's reviews (each of one version), check-in rounds per branch with the members asked
-- and their answers per item, phase-end self-assessments, and each branch's check-in crontab.
-- Instants are Unix milliseconds (UTC).

CREATE TABLE pledges (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    member_id        BIGINT  NOT NULL REFERENCES members (id),
    status           TEXT    NOT NULL,         -- 'submitted' | 'returned' | 'approved'
    current_version  BIGINT,                   -- the latest version written
    approved_version BIGINT,                   -- the version published (公示), if any
    created_at       BIGINT  NOT NULL,
    updated_at       BIGINT  NOT NULL,
    CONSTRAINT pledges_member_key UNIQUE (member_id)
);

-- Never updated once written: an edit is a new version.
CREATE TABLE pledge_versions (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    pledge_id   BIGINT  NOT NULL REFERENCES pledges (id),
    number      BIGINT  NOT NULL,              -- 1, 2, … per pledge
    created_at  BIGINT  NOT NULL,
    CONSTRAINT pledge_versions_number_key UNIQUE (pledge_id, number)
);

CREATE TABLE pledge_items (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    version_id  BIGINT  NOT NULL REFERENCES pledge_versions (id),
    position    BIGINT  NOT NULL,              -- 1..5
    way         TEXT    NOT NULL,              -- 'study' | 'results' | 'serve' | 'discipline' | 'integrity'
    text        TEXT    NOT NULL,
    target_date TEXT,                          -- YYYY-MM-DD
    CONSTRAINT pledge_items_position_key UNIQUE (version_id, position)
);

CREATE TABLE pledge_reviews (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    version_id  BIGINT  NOT NULL REFERENCES pledge_versions (id),
    reviewer_id BIGINT  NOT NULL REFERENCES members (id),
    decision    TEXT    NOT NULL,              -- 'approved' | 'returned'
    comment     TEXT,
    created_at  BIGINT  NOT NULL
);

-- One round per branch and fire time; the job's retries find the same round.
CREATE TABLE pledge_rounds (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    branch_id   BIGINT  NOT NULL REFERENCES branches (id),
    started_at  BIGINT  NOT NULL,
    CONSTRAINT pledge_rounds_branch_start_key UNIQUE (branch_id, started_at)
);

-- Who was asked in a round, about which version, and whether they were reminded.
CREATE TABLE pledge_round_members (
    round_id    BIGINT  NOT NULL REFERENCES pledge_rounds (id),
    member_id   BIGINT  NOT NULL REFERENCES members (id),
    version_id  BIGINT  NOT NULL REFERENCES pledge_versions (id),
    reminded_at BIGINT,
    CONSTRAINT pledge_round_members_pkey PRIMARY KEY (round_id, member_id)
);

CREATE TABLE pledge_answers (
    round_id    BIGINT  NOT NULL REFERENCES pledge_rounds (id),
    item_id     BIGINT  NOT NULL REFERENCES pledge_items (id),
    member_id   BIGINT  NOT NULL REFERENCES members (id),
    progress    TEXT    NOT NULL,              -- 'done' | 'on_track' | 'behind' | 'blocked'
    note        TEXT,
    answered_at BIGINT  NOT NULL,
    CONSTRAINT pledge_answers_pkey PRIMARY KEY (round_id, item_id)
);

-- Phase-end self-assessments (践诺), asked by the `pledge_assessment` job.
CREATE TABLE pledge_assessments (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    member_id   BIGINT  NOT NULL REFERENCES members (id),
    version_id  BIGINT  NOT NULL REFERENCES pledge_versions (id),
    campaign    TEXT    NOT NULL,
    phase       BIGINT  NOT NULL,
    title       TEXT    NOT NULL,
    text        TEXT,                          -- NULL until answered
    asked_at    BIGINT  NOT NULL,
    answered_at BIGINT,
    CONSTRAINT pledge_assessments_key UNIQUE (member_id, campaign, phase)
);

-- A branch's check-in crontab, when a secretary set one (else the default, monthly).
CREATE TABLE pledge_schedules (
    branch_id   BIGINT  NOT NULL PRIMARY KEY REFERENCES branches (id),
    crontab     TEXT    NOT NULL,
    updated_at  BIGINT  NOT NULL
);

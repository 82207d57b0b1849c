-- Core schema: the organisation (branches, party groups, members), channel bindings,
-- invite codes, the inbound inbox, per-member conversation state and the outbound outbox.
-- Instants are Unix milliseconds (UTC) in BIGINT columns so both backends read them alike.

CREATE TABLE branches (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        TEXT    NOT NULL,
    kind        TEXT    NOT NULL,              -- 'teacher' | 'student'
    created_at  BIGINT  NOT NULL,
    CONSTRAINT branches_name_key UNIQUE (name)
);

CREATE TABLE party_groups (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    branch_id   BIGINT  NOT NULL REFERENCES branches (id),
    name        TEXT    NOT NULL,
    CONSTRAINT party_groups_branch_name_key UNIQUE (branch_id, name)
);

CREATE TABLE members (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key         TEXT    NOT NULL,              -- stable key from the roster (staff or student number)
    name        TEXT    NOT NULL,
    branch_id   BIGINT  REFERENCES branches (id),
    group_id    BIGINT  REFERENCES party_groups (id),
    role        TEXT    NOT NULL,
    college     BIGINT  NOT NULL DEFAULT 0,    -- 1: sits on the college committee / campaign office
    phone       TEXT,                          -- E.164
    locale      TEXT    NOT NULL,
    active      BIGINT  NOT NULL DEFAULT 1,    -- 0: left the organisation
    created_at  BIGINT  NOT NULL,
    updated_at  BIGINT  NOT NULL,
    CONSTRAINT members_key_key UNIQUE (key),
    CONSTRAINT members_phone_key UNIQUE (phone)
);
CREATE INDEX members_branch_idx ON members (branch_id);

-- One row per (channel, address) a member talks from: a Telegram chat id, a phone number.
CREATE TABLE bindings (
    channel     TEXT    NOT NULL,
    address     TEXT    NOT NULL,
    member_id   BIGINT  NOT NULL REFERENCES members (id),
    bound_at    BIGINT  NOT NULL,
    unreachable BIGINT  NOT NULL DEFAULT 0,    -- 1: the platform said blocked / chat not found
    CONSTRAINT bindings_pkey PRIMARY KEY (channel, address),
    CONSTRAINT bindings_member_channel_key UNIQUE (member_id, channel)
);

-- Invite codes are stored only as a SHA-256 hash; the code itself is shown once.
CREATE TABLE invites (
    code_hash   TEXT    NOT NULL PRIMARY KEY,
    member_id   BIGINT  NOT NULL REFERENCES members (id),
    created_at  BIGINT  NOT NULL,
    expires_at  BIGINT  NOT NULL,
    used_at     BIGINT
);
CREATE INDEX invites_member_idx ON invites (member_id);

-- Every inbound update is written here before it is acknowledged, keyed by the platform's id,
-- and processed exactly once. The payload is erased once processed.
CREATE TABLE inbox (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    channel      TEXT    NOT NULL,
    external_id  TEXT    NOT NULL,
    payload      TEXT,
    status       TEXT    NOT NULL DEFAULT 'pending',   -- pending | done | ignored | failed
    received_at  BIGINT  NOT NULL,
    processed_at BIGINT,
    error        TEXT,
    CONSTRAINT inbox_channel_external_key UNIQUE (channel, external_id)
);
CREATE INDEX inbox_pending_idx ON inbox (status, id);

-- Conversation state per member and channel, so a restart resumes a half-finished flow.
CREATE TABLE conversations (
    member_id   BIGINT  NOT NULL REFERENCES members (id),
    channel     TEXT    NOT NULL,
    state       TEXT    NOT NULL,              -- JSON of flows::State
    choices     TEXT    NOT NULL,              -- JSON of the last offered choices, for typed answers
    updated_at  BIGINT  NOT NULL,
    CONSTRAINT conversations_pkey PRIMARY KEY (member_id, channel)
);

-- Every outgoing message is a row before it is sent.
CREATE TABLE outbox (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    channel         TEXT    NOT NULL,
    address         TEXT,                      -- erased after sending when no member is behind it
    member_id       BIGINT  REFERENCES members (id),
    body            TEXT    NOT NULL,
    choices         TEXT    NOT NULL,          -- JSON list of {data, label}
    dedupe_key      TEXT    NOT NULL,
    status          TEXT    NOT NULL DEFAULT 'pending', -- pending | sending | sent | failed | blocked | expired
    urgent          BIGINT  NOT NULL DEFAULT 0,
    attempts        BIGINT  NOT NULL DEFAULT 0,
    next_attempt_at BIGINT  NOT NULL,
    expires_at      BIGINT,
    lease_until     BIGINT,
    lease_token     TEXT,
    provider_id     TEXT,
    last_error      TEXT,
    segments        BIGINT  NOT NULL DEFAULT 1,
    rate_limited    BIGINT  NOT NULL DEFAULT 0,    -- times the platform answered 429 for it
    created_at      BIGINT  NOT NULL,
    sent_at         BIGINT,
    CONSTRAINT outbox_dedupe_key UNIQUE (dedupe_key)
);
CREATE INDEX outbox_due_idx ON outbox (status, next_attempt_at);
CREATE INDEX outbox_sent_idx ON outbox (sent_at);

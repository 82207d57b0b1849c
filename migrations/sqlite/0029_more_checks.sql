-- no-transaction
-- CHECK constraints on the rest of the text columns that hold enums (0027 did the first
-- ones): members' role and locale, meetings' kind and status, the inbox's and outbox's channel
-- and status, the channel of bindings, conversations and notice recipients, and a notice's
-- escalation. The values are exactly what the code writes (domain::org::Role, i18n::Locale,
-- domain::meetings::MeetingKind, chat::ChannelKind, store::inbox, store::outbox::Outcome,
-- store::pushes, store::sms, store::notices::set_escalation); a row holding anything else makes
-- this migration fail, naming the constraint, rather than be copied.
--
-- Each table is rebuilt as 0027 did it (https://www.sqlite.org/lang_altertable.html#otheralter):
-- with foreign keys off, create the new table, copy the rows, drop the old one, rename the new
-- one, recreate its indexes, check the foreign keys, commit. Columns keep their order (those
-- added by later migrations stay at the end), ids their values. No table here has a trigger or
-- a view over it.
--
-- The inbox and outbox hold sealed payloads and bodies (docs/PRIVACY.md): the copy moves the
-- stored bytes as they are, and with secure_delete on (set here too, as every connection of
-- the pool does) the dropped tables' pages are zeroed, not left in the free list.

PRAGMA secure_delete = ON;
PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;

CREATE TABLE members_new (
    id            INTEGER PRIMARY KEY,
    key           TEXT    NOT NULL,
    name          TEXT    NOT NULL,
    branch_id     BIGINT  REFERENCES branches (id),
    group_id      BIGINT  REFERENCES party_groups (id),
    role          TEXT    NOT NULL,
    college       BIGINT  NOT NULL DEFAULT 0,
    phone         TEXT,
    locale        TEXT    NOT NULL,
    active        BIGINT  NOT NULL DEFAULT 1,
    created_at    BIGINT  NOT NULL,
    updated_at    BIGINT  NOT NULL,
    channel_pref  TEXT    NOT NULL DEFAULT 'both'
        CHECK (channel_pref IN ('telegram', 'sms', 'both')),
    wecom         TEXT,
    channel_order TEXT,
    CONSTRAINT members_key_key UNIQUE (key),
    CONSTRAINT members_phone_key UNIQUE (phone),
    CONSTRAINT members_role_check CHECK (role IN ('secretary', 'deputy_secretary',
        'committee_member', 'group_leader', 'member', 'probationary', 'activist', 'masses')),
    CONSTRAINT members_locale_check CHECK (locale IN ('zh-CN', 'en'))
);
INSERT INTO members_new (id, key, name, branch_id, group_id, role, college, phone, locale,
    active, created_at, updated_at, channel_pref, wecom, channel_order)
SELECT id, key, name, branch_id, group_id, role, college, phone, locale,
    active, created_at, updated_at, channel_pref, wecom, channel_order
FROM members;
DROP TABLE members;
ALTER TABLE members_new RENAME TO members;
CREATE INDEX members_branch_idx ON members (branch_id);
CREATE UNIQUE INDEX members_wecom_key ON members (LOWER(wecom));

CREATE TABLE bindings_new (
    channel     TEXT    NOT NULL,
    address     TEXT    NOT NULL,
    member_id   BIGINT  NOT NULL REFERENCES members (id),
    bound_at    BIGINT  NOT NULL,
    unreachable BIGINT  NOT NULL DEFAULT 0,
    CONSTRAINT bindings_pkey PRIMARY KEY (channel, address),
    CONSTRAINT bindings_member_channel_key UNIQUE (member_id, channel),
    CONSTRAINT bindings_channel_check CHECK (channel IN ('telegram', 'console', 'sms', 'wecom'))
);
INSERT INTO bindings_new (channel, address, member_id, bound_at, unreachable)
SELECT channel, address, member_id, bound_at, unreachable FROM bindings;
DROP TABLE bindings;
ALTER TABLE bindings_new RENAME TO bindings;

CREATE TABLE inbox_new (
    id           INTEGER PRIMARY KEY,
    channel      TEXT    NOT NULL,
    external_id  TEXT    NOT NULL,
    payload      TEXT,
    status       TEXT    NOT NULL DEFAULT 'pending',
    received_at  BIGINT  NOT NULL,
    processed_at BIGINT,
    error        TEXT,
    CONSTRAINT inbox_channel_external_key UNIQUE (channel, external_id),
    CONSTRAINT inbox_channel_check CHECK (channel IN ('telegram', 'console', 'sms', 'wecom')),
    CONSTRAINT inbox_status_check CHECK (status IN ('pending', 'done', 'ignored', 'failed'))
);
INSERT INTO inbox_new (id, channel, external_id, payload, status, received_at, processed_at,
    error)
SELECT id, channel, external_id, payload, status, received_at, processed_at, error FROM inbox;
DROP TABLE inbox;
ALTER TABLE inbox_new RENAME TO inbox;
CREATE INDEX inbox_pending_idx ON inbox (status, id);

CREATE TABLE conversations_new (
    member_id   BIGINT  NOT NULL REFERENCES members (id),
    channel     TEXT    NOT NULL,
    state       TEXT    NOT NULL,
    choices     TEXT    NOT NULL,
    updated_at  BIGINT  NOT NULL,
    CONSTRAINT conversations_pkey PRIMARY KEY (member_id, channel),
    CONSTRAINT conversations_channel_check
        CHECK (channel IN ('telegram', 'console', 'sms', 'wecom'))
);
INSERT INTO conversations_new (member_id, channel, state, choices, updated_at)
SELECT member_id, channel, state, choices, updated_at FROM conversations;
DROP TABLE conversations;
ALTER TABLE conversations_new RENAME TO conversations;

CREATE TABLE outbox_new (
    id              INTEGER PRIMARY KEY,
    channel         TEXT    NOT NULL,
    address         TEXT,
    member_id       BIGINT  REFERENCES members (id),
    body            TEXT    NOT NULL,
    choices         TEXT    NOT NULL,
    dedupe_key      TEXT    NOT NULL,
    status          TEXT    NOT NULL DEFAULT 'pending',
    urgent          BIGINT  NOT NULL DEFAULT 0,
    attempts        BIGINT  NOT NULL DEFAULT 0,
    next_attempt_at BIGINT  NOT NULL,
    expires_at      BIGINT,
    lease_until     BIGINT,
    lease_token     TEXT,
    provider_id     TEXT,
    last_error      TEXT,
    segments        BIGINT  NOT NULL DEFAULT 1,
    rate_limited    BIGINT  NOT NULL DEFAULT 0,
    created_at      BIGINT  NOT NULL,
    sent_at         BIGINT,
    anonymous       BIGINT  NOT NULL DEFAULT 0,
    attachment_id   BIGINT,
    CONSTRAINT outbox_dedupe_key UNIQUE (dedupe_key),
    CONSTRAINT outbox_channel_check CHECK (channel IN ('telegram', 'console', 'sms', 'wecom')),
    CONSTRAINT outbox_status_check CHECK (status IN ('pending', 'sending', 'sent', 'delivered',
        'failed', 'blocked', 'expired', 'held', 'digested'))
);
INSERT INTO outbox_new (id, channel, address, member_id, body, choices, dedupe_key, status,
    urgent, attempts, next_attempt_at, expires_at, lease_until, lease_token, provider_id,
    last_error, segments, rate_limited, created_at, sent_at, anonymous, attachment_id)
SELECT id, channel, address, member_id, body, choices, dedupe_key, status,
    urgent, attempts, next_attempt_at, expires_at, lease_until, lease_token, provider_id,
    last_error, segments, rate_limited, created_at, sent_at, anonymous, attachment_id
FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_due_idx ON outbox (status, next_attempt_at);
CREATE INDEX outbox_sent_idx ON outbox (sent_at);
CREATE INDEX outbox_provider_idx ON outbox (channel, provider_id);
CREATE INDEX outbox_address_sent_idx ON outbox (channel, address, sent_at);
CREATE INDEX outbox_member_sent_idx ON outbox (member_id, sent_at);

CREATE TABLE meetings_new (
    id          INTEGER PRIMARY KEY,
    branch_id   BIGINT  NOT NULL REFERENCES branches (id),
    kind        TEXT    NOT NULL,
    starts_at   BIGINT  NOT NULL,
    ends_at     BIGINT  NOT NULL,
    place       TEXT    NOT NULL,
    topic       TEXT    NOT NULL,
    status      TEXT    NOT NULL DEFAULT 'scheduled',
    signin_code TEXT,
    created_by  BIGINT  REFERENCES members (id),
    created_at  BIGINT  NOT NULL,
    updated_at  BIGINT  NOT NULL,
    CONSTRAINT meetings_kind_check CHECK (kind IN ('general', 'committee', 'group', 'lesson',
        'themed_day', 'life', 'other')),
    CONSTRAINT meetings_status_check CHECK (status IN ('scheduled', 'cancelled'))
);
INSERT INTO meetings_new (id, branch_id, kind, starts_at, ends_at, place, topic, status,
    signin_code, created_by, created_at, updated_at)
SELECT id, branch_id, kind, starts_at, ends_at, place, topic, status,
    signin_code, created_by, created_at, updated_at
FROM meetings;
DROP TABLE meetings;
ALTER TABLE meetings_new RENAME TO meetings;
CREATE INDEX meetings_branch_starts_idx ON meetings (branch_id, starts_at);

CREATE TABLE notices_new (
    id              INTEGER PRIMARY KEY,
    sender_id       BIGINT  NOT NULL REFERENCES members (id),
    scope           TEXT    NOT NULL,
    body            TEXT    NOT NULL,
    confirm         BIGINT  NOT NULL DEFAULT 0,
    urgent          BIGINT  NOT NULL DEFAULT 0,
    created_at      BIGINT  NOT NULL,
    nudged_at       BIGINT,
    escalate_at     BIGINT,
    escalation      TEXT,
    CONSTRAINT notices_escalation_check
        CHECK (escalation IN ('scheduled', 'pending', 'sent'))
);
INSERT INTO notices_new (id, sender_id, scope, body, confirm, urgent, created_at, nudged_at,
    escalate_at, escalation)
SELECT id, sender_id, scope, body, confirm, urgent, created_at, nudged_at,
    escalate_at, escalation
FROM notices;
DROP TABLE notices;
ALTER TABLE notices_new RENAME TO notices;
CREATE INDEX notices_sender_idx ON notices (sender_id, id);

CREATE TABLE notice_recipients_new (
    notice_id       BIGINT  NOT NULL REFERENCES notices (id),
    member_id       BIGINT  NOT NULL REFERENCES members (id),
    channel         TEXT,
    confirmed_at    BIGINT,
    CONSTRAINT notice_recipients_pkey PRIMARY KEY (notice_id, member_id),
    CONSTRAINT notice_recipients_channel_check
        CHECK (channel IN ('telegram', 'console', 'sms', 'wecom'))
);
INSERT INTO notice_recipients_new (notice_id, member_id, channel, confirmed_at)
SELECT notice_id, member_id, channel, confirmed_at FROM notice_recipients;
DROP TABLE notice_recipients;
ALTER TABLE notice_recipients_new RENAME TO notice_recipients;
CREATE INDEX notice_recipients_member_idx ON notice_recipients (member_id, confirmed_at);

-- Every reference still finds its row: a rebuild that lost one fails here (the CHECK refuses
-- a count above zero) and the transaction is never committed.
CREATE TEMP TABLE rebuild_fk_check (violations BIGINT NOT NULL CHECK (violations = 0));
INSERT INTO rebuild_fk_check SELECT COUNT(*) FROM pragma_foreign_key_check;
DROP TABLE rebuild_fk_check;

COMMIT;
PRAGMA foreign_keys = ON;

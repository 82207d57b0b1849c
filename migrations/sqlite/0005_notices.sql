-- Notices (通知) with "收到请回复", and the campaign's phases and branch summaries.

-- One notice as its sender composed it. `scope` is the canonical text of the audience
-- (`all`, `branch:<id>`, `group:<branch id>/<group name>`, `role:secretary`, `members:<branch id|*>`).
CREATE TABLE notices (
    id              INTEGER PRIMARY KEY,
    sender_id       BIGINT  NOT NULL REFERENCES members (id),
    scope           TEXT    NOT NULL,
    body            TEXT    NOT NULL,
    confirm         BIGINT  NOT NULL DEFAULT 0,          -- 1: 收到请回复
    urgent          BIGINT  NOT NULL DEFAULT 0,          -- 1: not held back by quiet hours
    created_at      BIGINT  NOT NULL,
    nudged_at       BIGINT,                              -- the last re-nudge of the unconfirmed
    escalate_at     BIGINT,                              -- when unconfirmed Telegram readers get SMS
    escalation      TEXT                                 -- NULL | 'scheduled' | 'pending' | 'sent'
);
CREATE INDEX notices_sender_idx ON notices (sender_id, id);

-- Who a notice went to: the outbox row is found by its dedupe key `notice:<id>:<member>`;
-- a member the bot cannot reach has channel NULL.
CREATE TABLE notice_recipients (
    notice_id       BIGINT  NOT NULL REFERENCES notices (id),
    member_id       BIGINT  NOT NULL REFERENCES members (id),
    channel         TEXT,                                -- telegram | sms | NULL (unreachable)
    confirmed_at    BIGINT,
    CONSTRAINT notice_recipients_pkey PRIMARY KEY (notice_id, member_id)
);
CREATE INDEX notice_recipients_member_idx ON notice_recipients (member_id, confirmed_at);

-- A loaded campaign file, by name; `source` is the TOML text as loaded.
CREATE TABLE campaigns (
    name            TEXT    NOT NULL PRIMARY KEY,
    source          TEXT    NOT NULL,
    loaded_at       BIGINT  NOT NULL
);

-- A branch's summary of one phase, submitted by its secretary with /summary.
CREATE TABLE phase_summaries (
    campaign        TEXT    NOT NULL REFERENCES campaigns (name),
    phase           BIGINT  NOT NULL,                    -- index in the file, from 0
    branch_id       BIGINT  NOT NULL REFERENCES branches (id),
    author_id       BIGINT  NOT NULL REFERENCES members (id),
    body            TEXT    NOT NULL,
    submitted_at    BIGINT  NOT NULL,
    CONSTRAINT phase_summaries_pkey PRIMARY KEY (campaign, phase, branch_id)
);

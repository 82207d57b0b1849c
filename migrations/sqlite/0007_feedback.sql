-- Anonymous feedback and evaluation rounds. Nothing here holds a member id, chat id, phone
-- number or a time finer than a day next to what someone said or voted (see
-- docs/ARCHITECTURE.md, "Anonymity").

-- What can be rated: a model dormitory, a badge post, a branch or a member.
CREATE TABLE feedback_targets (
    id          INTEGER PRIMARY KEY,
    code        TEXT    NOT NULL,              -- in the QR link: start=fb_<code>
    kind        TEXT    NOT NULL CHECK (kind IN ('dormitory', 'post', 'branch', 'member')),
    name        TEXT    NOT NULL,
    building    TEXT,                          -- dormitories: group for building totals
    branch_id   BIGINT  REFERENCES branches (id),
    member_id   BIGINT  REFERENCES members (id), -- badge post or member target
    CONSTRAINT feedback_targets_code_key UNIQUE (code)
);

-- The resident members of a dormitory (they see its results).
CREATE TABLE feedback_residents (
    target_id   BIGINT  NOT NULL REFERENCES feedback_targets (id),
    member_id   BIGINT  NOT NULL REFERENCES members (id),
    PRIMARY KEY (target_id, member_id)
);

-- One random secret per period (a month). The secret keys the "already rated" tags and is
-- erased when the period ends, so the tags can no longer be recomputed from a chat id.
CREATE TABLE feedback_periods (
    period      TEXT    NOT NULL PRIMARY KEY,  -- '2026-11'
    secret      TEXT,                          -- hex; NULL once the period has ended
    ends_at     BIGINT  NOT NULL
);

-- "This sender rated this target in this period": a keyed hash only, no content.
CREATE TABLE feedback_seen (
    period      TEXT    NOT NULL,
    tag         TEXT    NOT NULL,              -- hex HMAC(period key, target, sender)
    PRIMARY KEY (period, tag)
) WITHOUT ROWID;

-- An anonymous rating in progress, keyed by a keyed hash of the sender. Holds the target and
-- the rating picked so far, never text; deleted when the feedback is stored or abandoned.
CREATE TABLE feedback_sessions (
    tag         TEXT    NOT NULL PRIMARY KEY,
    target_id   BIGINT  NOT NULL REFERENCES feedback_targets (id),
    rating      BIGINT,                        -- NULL: not rated yet
    expires_at  BIGINT  NOT NULL
) WITHOUT ROWID;

-- The feedback itself: a random id, the day, no sender. WITHOUT ROWID: rows are kept in the
-- order of their random id, not in the order they came.
CREATE TABLE feedback (
    id          TEXT    NOT NULL PRIMARY KEY,  -- random, shown to secretaries to answer
    target_id   BIGINT  NOT NULL REFERENCES feedback_targets (id),
    period      TEXT    NOT NULL,
    day         TEXT    NOT NULL,              -- local day, '2026-11-29'
    rating      BIGINT  NOT NULL CHECK (rating IN (1, 2, 3)),
    body        TEXT,                          -- the comment, if any
    reply_hash  TEXT,                          -- SHA-256 of the reply code, never the code
    answer      TEXT,                          -- the secretary's answer
    hidden      BIGINT  NOT NULL DEFAULT 0     -- 1: hidden by the committee (kept)
) WITHOUT ROWID;
CREATE INDEX feedback_target_idx ON feedback (target_id, period);
CREATE INDEX feedback_reply_idx ON feedback (reply_hash);

-- Moderation and answers, logged by who acted (a committee member or secretary).
CREATE TABLE feedback_actions (
    id          INTEGER PRIMARY KEY,
    feedback_id TEXT    NOT NULL,
    action      TEXT    NOT NULL CHECK (action IN ('hide', 'answer')),
    member_id   BIGINT  NOT NULL REFERENCES members (id),
    day         TEXT    NOT NULL
);

-- Replies of the anonymous flows: queued without a member and erased (address and body) once
-- final, like those to unknown senders.
ALTER TABLE outbox ADD COLUMN anonymous BIGINT NOT NULL DEFAULT 0;

-- Evaluation rounds: 民主评议 (grades) or 票决 (vote).
CREATE TABLE evaluation_rounds (
    id          INTEGER PRIMARY KEY,
    kind        TEXT    NOT NULL CHECK (kind IN ('grades', 'vote')),
    branch_id   BIGINT  NOT NULL REFERENCES branches (id),
    title       TEXT    NOT NULL,
    opens_at    BIGINT  NOT NULL,
    closes_at   BIGINT  NOT NULL,
    status      TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    created_by  BIGINT  REFERENCES members (id)
);

-- Who is evaluated (or a candidate), in the order shown on the ballot.
CREATE TABLE evaluation_candidates (
    round_id    BIGINT  NOT NULL REFERENCES evaluation_rounds (id),
    slot    BIGINT  NOT NULL,
    member_id   BIGINT  NOT NULL REFERENCES members (id),
    PRIMARY KEY (round_id, slot)
);

-- Who may vote and whether they have: made at opening, flipped in place, no time.
CREATE TABLE evaluation_voters (
    round_id    BIGINT  NOT NULL REFERENCES evaluation_rounds (id),
    member_id   BIGINT  NOT NULL REFERENCES members (id),
    voted       BIGINT  NOT NULL DEFAULT 0,
    PRIMARY KEY (round_id, member_id)
);

-- What was voted: counters only. A ballot adds one to a counter per candidate and is not kept,
-- so there is no ballot row to order or to join with the voters.
CREATE TABLE evaluation_tallies (
    round_id    BIGINT  NOT NULL REFERENCES evaluation_rounds (id),
    slot    BIGINT  NOT NULL,
    pick      BIGINT  NOT NULL,
    votes       BIGINT  NOT NULL DEFAULT 0,
    PRIMARY KEY (round_id, slot, pick)
);

-- 发展党员: the people in the recruitment pipeline and every step recorded for them
-- (src/recruitment/). The stage is not stored: it follows from the steps, in order.

-- One row per person in the pipeline; they are on the roster (as 群众 or 积极分子 at first).
CREATE TABLE recruits (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    member_id   BIGINT  NOT NULL REFERENCES members (id),
    created_at  BIGINT  NOT NULL,
    CONSTRAINT recruits_member_key UNIQUE (member_id)
);

-- A step: its kind, the day it happened (YYYY-MM-DD in the organisation's zone), who recorded
-- it, and what it carries: a contact, 学时, a vote's counts, and a note (opinions, reasons for a
-- delay) that only the branch committee and the college committee may read.
CREATE TABLE recruit_steps (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    recruit_id  BIGINT  NOT NULL REFERENCES recruits (id),
    kind        TEXT    NOT NULL CHECK (kind IN ('applied', 'talk', 'activist', 'contact',
                    'report', 'review', 'opinions', 'candidate', 'political', 'training',
                    'committee_review', 'prereview', 'form', 'publicity', 'vote',
                    'committee_talk', 'approval', 'oath', 'application')),
    on_date     TEXT    NOT NULL,
    other_id    BIGINT  REFERENCES members (id),      -- the contact
    hours       BIGINT,                               -- 集中培训 学时
    votes_yes   BIGINT,
    votes_no    BIGINT,
    votes_abstain BIGINT,
    entitled    BIGINT,                               -- 应到会有表决权的正式党员
    note        TEXT    NOT NULL DEFAULT '',
    recorded_by BIGINT  REFERENCES members (id),
    recorded_at BIGINT  NOT NULL
);
CREATE INDEX recruit_steps_recruit_idx ON recruit_steps (recruit_id, id);

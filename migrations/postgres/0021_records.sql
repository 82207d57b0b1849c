-- The records a branch is inspected on beside its meetings (src/records/): service activities
-- (结对帮扶, 志愿服务, 走访慰问, 进社区 and kinds a college adds) with their participants and
-- whether each confirmed, each branch's published work plan (支部工作方案) for a campaign, and
-- the committee's comments (领导点评) per phase on a branch or one of its members.
-- Photos of an activity will attach to `activities.id` (issue 22, section 1).

-- One activity, logged by a member (NULL: the operator at the command line). `kind` is a
-- built-in key (pair_help, volunteer, visit, community) or a kind named in `[records]`;
-- `held_on` is the day, `YYYY-MM-DD` in the organisation's zone.
CREATE TABLE activities (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    branch_id   BIGINT  NOT NULL REFERENCES branches (id),
    kind        TEXT    NOT NULL CHECK (LENGTH(kind) > 0),
    held_on     TEXT    NOT NULL,
    place       TEXT    NOT NULL,
    body        TEXT    NOT NULL,
    logged_by   BIGINT  REFERENCES members (id),
    logged_at   BIGINT  NOT NULL
);
CREATE INDEX activities_branch_day_idx ON activities (branch_id, held_on);

-- A participant named on an activity: asked until they answer 确认参加 or 不是我.
CREATE TABLE activity_participants (
    activity_id BIGINT  NOT NULL REFERENCES activities (id),
    member_id   BIGINT  NOT NULL REFERENCES members (id),
    status      TEXT    NOT NULL CHECK (status IN ('asked', 'confirmed', 'declined')),
    answered_at BIGINT,
    CONSTRAINT activity_participants_pkey PRIMARY KEY (activity_id, member_id)
);
CREATE INDEX activity_participants_member_idx ON activity_participants (member_id, status);

-- A branch's work plan for a campaign ('' when none is loaded); publishing again replaces it
-- (the audit log keeps that it was replaced).
CREATE TABLE branch_plans (
    campaign     TEXT    NOT NULL,
    branch_id    BIGINT  NOT NULL REFERENCES branches (id),
    body         TEXT    NOT NULL,
    published_by BIGINT  REFERENCES members (id),    -- NULL: the operator at the command line
    published_at BIGINT  NOT NULL,
    CONSTRAINT branch_plans_pkey PRIMARY KEY (campaign, branch_id)
);

-- 领导点评: one comment per campaign phase (index from 0) and branch, or per member of it
-- (`member_id` 0: the branch itself); writing again replaces it.
CREATE TABLE leader_comments (
    campaign    TEXT    NOT NULL,
    phase       BIGINT  NOT NULL,
    branch_id   BIGINT  NOT NULL REFERENCES branches (id),
    member_id   BIGINT  NOT NULL,
    body        TEXT    NOT NULL,
    written_by  BIGINT  REFERENCES members (id),      -- NULL: the operator at the command line
    written_at  BIGINT  NOT NULL,
    CONSTRAINT leader_comments_pkey PRIMARY KEY (campaign, phase, branch_id, member_id)
);
